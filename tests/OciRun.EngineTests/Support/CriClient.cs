using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using OciRun.EngineTests.Cri;

namespace OciRun.EngineTests.Support;

/// <summary>
/// The kubelet's side of CRI, as much as the tests need: runtime.v1's
/// RuntimeService over containerd's unix socket (HTTP/2 without TLS).
/// </summary>
public sealed class CriClient : IDisposable
{
    private readonly GrpcChannel channel;

    public RuntimeService.RuntimeServiceClient Runtime { get; }

    public CriClient(string socket)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancel) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancel);
                    return new NetworkStream(s, ownsSocket: true);
                }
                catch
                {
                    s.Dispose();
                    throw;
                }
            },
        };
        // The host name is not used: every connection goes to the socket.
        channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
        Runtime = new RuntimeService.RuntimeServiceClient(channel);
    }

    /// <summary>A deadline for one call, so a stuck engine fails the test rather than hanging it.</summary>
    public static DateTime Deadline(int seconds = 60) => DateTime.UtcNow.AddSeconds(seconds);

    public void Dispose() => channel.Dispose();
}
