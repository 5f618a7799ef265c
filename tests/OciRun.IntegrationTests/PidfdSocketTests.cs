using System.Runtime.InteropServices;
using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>
/// --pidfd-socket (runc 1.2; runc 1.1.5 has no such flag): create and exec send
/// a pidfd of the new process over the caller's socket, through which the
/// caller can signal exactly that process.
/// </summary>
public sealed partial class PidfdSocketTests : ContainerTest
{
    [RootFact]
    public void Create_sends_a_pidfd_of_init_that_signals_it()
    {
        var id = NewId();
        using var receiver = new UnixFdReceiver(Work);
        var bundle = NewBundle(id, "sleep", "100").Write();
        var create = Runtime.Shell($"exec {Runtime.Binary} --root '{Runtime.Root}' create --pidfd-socket '{receiver.Path}' --bundle '{bundle.Dir}' {id} </dev/null >/dev/null 2>&1");
        create.ExitCode.Should().Be(0, create.ToString());
        var (fd, data) = receiver.ReceiveFd();
        fd.Should().NotBeNull("create sends the pidfd with SCM_RIGHTS");
        try
        {
            data.Should().Be("standard", "runc's word for create's init");
            var init = (int)State(id)["pid"]!;
            PidOf(fd!.Value).Should().Be(init, "the pidfd is init's");
            pidfd_send_signal(fd.Value, 9, 0, 0).Should().Be(0);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((string?)State(id)["status"] != "stopped" && DateTime.UtcNow < deadline) Thread.Sleep(20);
            ((string?)State(id)["status"]).Should().Be("stopped", "the signal sent through the pidfd killed init");
        }
        finally
        {
            close(fd!.Value);
            Runtime.Run("delete", "--force", id);
        }
    }

    [RootFact]
    public void Exec_sends_a_pidfd_of_its_process()
    {
        var id = NewId();
        RunDetachedOk(NewBundle(id, "sleep", "100").Write(), id);
        using var receiver = new UnixFdReceiver(Work);
        var pidFile = Path.Combine(Work, "exec.pid");
        var exec = Runtime.Shell($"exec {Runtime.Binary} --root '{Runtime.Root}' exec -d --pid-file '{pidFile}' --pidfd-socket '{receiver.Path}' {id} sleep 200 </dev/null >/dev/null 2>&1");
        exec.ExitCode.Should().Be(0, exec.ToString());
        var (fd, data) = receiver.ReceiveFd();
        fd.Should().NotBeNull();
        try
        {
            data.Should().Be("setns", "runc's word for an exec'd process");
            PidOf(fd!.Value).Should().Be(int.Parse(File.ReadAllText(pidFile).Trim()), "the pidfd is the exec'd process's");
        }
        finally
        {
            close(fd!.Value);
        }
    }

    [RootFact]
    public void A_pidfd_socket_that_is_not_a_socket_is_refused_before_anything_is_made()
    {
        var id = NewId();
        var notSocket = Path.Combine(Work, "plain-file");
        File.WriteAllText(notSocket, "");
        var bundle = NewBundle(id, "true").Write();
        var create = Runtime.Shell($"exec {Runtime.Binary} --root '{Runtime.Root}' create --pidfd-socket '{notSocket}' --bundle '{bundle.Dir}' {id} </dev/null");
        create.ExitCode.Should().NotBe(0);
        create.Stderr.Should().Contain($"--pidfd-socket {notSocket}: not a unix socket");
        Runtime.Run("state", id).ExitCode.Should().NotBe(0, "no container is left");
    }

    // /proc/self/fdinfo of a pidfd says "Pid:\tN".
    private static int PidOf(int pidfd) =>
        int.Parse(File.ReadLines($"/proc/self/fdinfo/{pidfd}").First(l => l.StartsWith("Pid:"))["Pid:".Length..].Trim());

    [LibraryImport("libc", SetLastError = true)]
    private static partial int pidfd_send_signal(int pidfd, int signal, nint info, uint flags);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
