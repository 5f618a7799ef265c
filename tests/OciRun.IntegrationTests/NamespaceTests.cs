using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

public sealed class NamespaceTests : ContainerTest
{
    [RootFact]
    public void The_container_gets_new_namespaces()
    {
        var id = NewId();
        var inside = RunOk(NewBundle(id, "sh", "-c", "for n in pid net ipc uts mnt cgroup; do readlink /proc/self/ns/$n; done"), id)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var host = new[] { "pid", "net", "ipc", "uts", "mnt", "cgroup" }.Select(n => new FileInfo($"/proc/self/ns/{n}").LinkTarget).ToArray();
        inside.Should().HaveCount(6);
        for (var i = 0; i < 6; i++) inside[i].Should().NotBe(host[i]);
    }

    [RootFact]
    public void A_namespace_given_by_path_is_joined()
    {
        var first = NewId("first");
        var bundle = NewBundle(first, "sleep", "100").Write();
        RunDetachedOk(bundle, first);
        var pid = (int)State(first)["pid"]!;
        var net = new FileInfo($"/proc/{pid}/ns/net").LinkTarget;
        var uts = new FileInfo($"/proc/{pid}/ns/uts").LinkTarget;

        var second = NewId("second");
        var joining = NewBundle(second, "sh", "-c", "readlink /proc/self/ns/net; readlink /proc/self/ns/uts");
        foreach (var ns in joining.Linux["namespaces"]!.AsArray())
            if ((string?)ns!["type"] == "network") ns["path"] = $"/proc/{pid}/ns/net";
        var lines = RunOk(joining, second).Split('\n');
        lines[0].Should().Be(net, "the network namespace was joined by path");
        lines[1].Should().NotBe(uts, "the other namespaces are new");
    }
}
