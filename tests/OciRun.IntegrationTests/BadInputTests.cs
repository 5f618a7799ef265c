using OciRun.IntegrationTests.Support;

namespace OciRun.IntegrationTests;

/// <summary>Bad input: exit status 1, one line that says what is wrong, and nothing left behind.</summary>
public sealed class BadInputTests : ContainerTest
{

    private RunResult Create(Bundle bundle, string id) => Runtime.Run("create", "--bundle", bundle.Dir, id);

    [RootFact]
    public void Broken_json_is_refused()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true").Write();
        File.WriteAllText(Path.Combine(bundle.Dir, "config.json"), "{ \"process\": { \"args\": [\"true\"] ");
        ShouldFailCleanly(Create(bundle, id), id, "config.json");
    }

    [RootFact]
    public void A_security_label_the_host_cannot_apply_is_refused_as_runc_does()
    {
        Skip.If(File.Exists("/sys/fs/selinux/enforce"), "this host has SELinux");
        Skip.If((File.Exists("/sys/module/apparmor/parameters/enabled") ? File.ReadAllText("/sys/module/apparmor/parameters/enabled").Trim() : "") == "Y", "this host has AppArmor");
        var id = NewId();
        var bundle = NewBundle(id, "true");
        bundle.Process["apparmorProfile"] = "docker-default";
        bundle.Process["selinuxLabel"] = "system_u:system_r:container_t:s0";
        ShouldFailCleanly(Create(bundle.Write(), id), id, "process.apparmorProfile: AppArmor is not enabled on this host", "process.selinuxLabel: SELinux is not enabled on this host");
    }

    [RootFact]
    public void A_namespace_path_that_does_not_exist_is_named()
    {
        // The C stage fails on it while create is still making the cgroup: its reason must be what create reports.
        var id = NewId();
        var bundle = NewBundle(id, "true");
        foreach (var ns in bundle.Linux["namespaces"]!.AsArray())
            if ((string?)ns!["type"] == "network") ns["path"] = "/nonexistent/netns";
        ShouldFailCleanly(Create(bundle.Write(), id), id, "/nonexistent/netns", "No such file");
    }

    [RootFact]
    public void A_field_of_the_wrong_type_is_named()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        bundle.Process["user"]!["uid"] = "root";
        ShouldFailCleanly(Create(bundle.Write(), id), id, "process.user.uid");
    }

    [RootFact]
    public void A_config_without_process_is_refused()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        bundle.Config.Remove("process");
        ShouldFailCleanly(Create(bundle.Write(), id), id, "process");
    }

    [RootFact]
    public void A_missing_rootfs_is_refused()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        bundle.Config["root"]!["path"] = "/nonexistent/rootfs";
        ShouldFailCleanly(Create(bundle.Write(), id), id, "/nonexistent/rootfs");
    }

    [RootFact]
    public void An_unsupported_feature_is_refused_by_name()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        bundle.Linux["intelRdt"] = new JsonObject { ["closID"] = "c" };
        ShouldFailCleanly(Create(bundle.Write(), id), id, "linux.intelRdt");
    }

    [RootFact]
    public void A_failure_inside_init_is_reported_and_cleaned_up()
    {
        var id = NewId();
        var bundle = NewBundle(id, "true");
        bundle.Process["cwd"] = "/bin/busybox"; // not a directory: chdir fails inside init
        bundle.Config["root"]!["readonly"] = true;
        ShouldFailCleanly(Create(bundle.Write(), id), id, "/bin/busybox");
    }

    [RootFact]
    public void Unknown_ids_are_reported_by_every_command()
    {
        var id = NewId();
        foreach (var args in new[] { new[] { "state", id }, ["start", id], ["kill", id, "KILL"], ["delete", id] })
            ShouldFailCleanly(Runtime.Run(args), id, id);
    }

    [RootFact]
    public void Delete_force_of_an_unknown_id_succeeds_as_with_runc()
    {
        Runtime.Run("delete", "--force", NewId()).ExitCode.Should().Be(0);
    }

    [RootFact]
    public void A_duplicate_id_is_refused_and_the_first_container_is_untouched()
    {
        var id = NewId();
        RunDetachedOk(NewBundle(id, "sleep", "100"), id);
        var pid = (int)State(id)["pid"]!;
        var again = Runtime.Run("create", "--bundle", NewBundle(id, "true").Write().Dir, id);
        again.ExitCode.Should().Be(1);
        again.Stderr.Should().Contain("already exists");
        var state = State(id);
        ((string?)state["status"]).Should().Be("running");
        ((int)state["pid"]!).Should().Be(pid);
    }

    [RootFact]
    public void An_unknown_signal_is_refused_and_the_container_keeps_running()
    {
        var id = NewId();
        RunDetachedOk(NewBundle(id, "sleep", "100"), id);
        var result = Runtime.Run("kill", id, "SIGNOPE");
        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("SIGNOPE");
        ((string?)State(id)["status"]).Should().Be("running");
    }

    [RootFact]
    public void Start_of_a_running_container_and_kill_of_a_stopped_one_are_refused()
    {
        var id = NewId();
        RunDetachedOk(NewBundle(id, "sleep", "100"), id);
        Runtime.Run("start", id).ExitCode.Should().Be(1);
        Runtime.Run("kill", id, "KILL").ExitCode.Should().Be(0);
        WaitForStatus(id, "stopped");
        var kill = Runtime.Run("kill", id, "KILL");
        kill.ExitCode.Should().Be(1);
        kill.Stderr.Should().Contain("not running");
        Runtime.Run("start", id).ExitCode.Should().Be(1);
    }
}
