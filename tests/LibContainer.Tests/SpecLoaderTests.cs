using LibContainer;
using LibContainer.Spec;
using LibContainer.Validation;

namespace LibContainer.Tests;

public sealed class SpecLoaderTests
{
    // Shaped like `runc spec` output plus the fields containerd and podman add.
    private const string RuncStyle = """
        {
          "ociVersion": "1.0.2-dev",
          "process": {
            "terminal": false,
            "user": { "uid": 1000, "gid": 100, "umask": 18, "additionalGids": [5, 6] },
            "args": ["sh", "-c", "echo hi"],
            "env": ["PATH=/usr/bin:/bin", "TERM=xterm"],
            "cwd": "/home/user",
            "capabilities": { "bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"] },
            "rlimits": [{ "type": "RLIMIT_NOFILE", "hard": 1024, "soft": 512 }],
            "noNewPrivileges": true,
            "oomScoreAdj": -500
          },
          "root": { "path": "rootfs", "readonly": true },
          "hostname": "box",
          "mounts": [
            { "destination": "/proc", "type": "proc", "source": "proc" },
            { "destination": "/data", "type": "bind", "source": "/srv/data", "options": ["rbind", "ro"],
              "uidMappings": [{ "containerID": 0, "hostID": 100000, "size": 65536 }],
              "gidMappings": [{ "containerID": 1, "hostID": 200000, "size": 10 }] }
          ],
          "linux": {
            "uidMappings": [{ "containerID": 0, "hostID": 1000, "size": 1 }],
            "gidMappings": [{ "containerID": 0, "hostID": 100, "size": 1 }],
            "namespaces": [{ "type": "pid" }, { "type": "network", "path": "/var/run/netns/cni-1" }, { "type": "mount" }],
            "resources": {
              "devices": [{ "allow": false, "access": "rwm" }, { "allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm" }],
              "memory": { "limit": -1, "reservation": 1048576, "kernelTCP": 4096, "swappiness": 60, "disableOOMKiller": true },
              "cpu": { "shares": 1024, "quota": -1, "period": 100000, "cpus": "0-1" },
              "pids": { "limit": 100 }
            },
            "cgroupsPath": "/oci/c1",
            "devices": [{ "path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0 }],
            "sysctl": { "net.ipv4.ip_forward": "1" },
            "maskedPaths": ["/proc/kcore"],
            "readonlyPaths": ["/proc/sys"],
            "rootfsPropagation": "rslave"
          },
          "annotations": { "io.kubernetes.cri.container-type": "container" },
          "someFutureField": { "is": "ignored" }
        }
        """;

    [Fact]
    public void A_runc_style_config_fills_the_process()
    {
        var p = SpecLoader.Parse(RuncStyle).Process!;
        p.Args.Should().Equal("sh", "-c", "echo hi");
        p.Env.Should().Equal("PATH=/usr/bin:/bin", "TERM=xterm");
        p.Cwd.Should().Be("/home/user");
        p.User!.Uid.Should().Be(1000);
        p.User.Gid.Should().Be(100);
        p.User.Umask.Should().Be(18);
        p.User.AdditionalGids.Should().Equal(5u, 6u);
        p.Capabilities!.Bounding.Should().Equal("CAP_KILL");
        p.Capabilities.Inheritable.Should().BeNull("an absent set stays absent");
        p.Rlimits.Should().ContainSingle().Which.Should().Be(new Rlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 512 });
        p.NoNewPrivileges.Should().BeTrue();
        p.OomScoreAdj.Should().Be(-500);
        p.Terminal.Should().BeFalse();
    }

    [Fact]
    public void Id_mappings_use_the_containerID_and_hostID_spelling()
    {
        var spec = SpecLoader.Parse(RuncStyle);
        spec.Linux!.UidMappings.Should().Equal(new IdMapping { ContainerId = 0, HostId = 1000, Size = 1 });
        spec.Linux.GidMappings.Should().Equal(new IdMapping { ContainerId = 0, HostId = 100, Size = 1 });
        spec.Mounts![1].UidMappings.Should().Equal(new IdMapping { ContainerId = 0, HostId = 100000, Size = 65536 });
        spec.Mounts[1].GidMappings.Should().Equal(new IdMapping { ContainerId = 1, HostId = 200000, Size = 10 });
    }

    [Fact]
    public void Memory_resources_use_the_kernelTCP_and_disableOOMKiller_spelling()
    {
        var memory = SpecLoader.Parse(RuncStyle).Linux!.Resources!.Memory!;
        memory.Limit.Should().Be(-1);
        memory.Reservation.Should().Be(1048576);
        memory.KernelTcp.Should().Be(4096);
        memory.Swappiness.Should().Be(60);
        memory.DisableOomKiller.Should().BeTrue();
        memory.Swap.Should().BeNull();
    }

    [Fact]
    public void The_linux_section_is_read()
    {
        var linux = SpecLoader.Parse(RuncStyle).Linux!;
        linux.Namespaces.Should().Equal(
            new Namespace { Type = "pid" }, new Namespace { Type = "network", Path = "/var/run/netns/cni-1" }, new Namespace { Type = "mount" });
        linux.Resources!.Devices.Should().Equal(
            new DeviceRule { Allow = false, Access = "rwm" },
            new DeviceRule { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rwm" });
        linux.Resources.Cpu!.Quota.Should().Be(-1);
        linux.Resources.Cpu.Cpus.Should().Be("0-1");
        linux.Resources.Pids!.Limit.Should().Be(100);
        linux.CgroupsPath.Should().Be("/oci/c1");
        linux.Devices.Should().ContainSingle().Which.Should().Be(
            new Device { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 229, FileMode = 438, Uid = 0, Gid = 0 });
        linux.Sysctl.Should().Equal(new Dictionary<string, string> { ["net.ipv4.ip_forward"] = "1" });
        linux.MaskedPaths.Should().Equal("/proc/kcore");
        linux.ReadonlyPaths.Should().Equal("/proc/sys");
        linux.RootfsPropagation.Should().Be("rslave");
    }

    [Fact]
    public void Root_mounts_hostname_and_annotations_are_read()
    {
        var spec = SpecLoader.Parse(RuncStyle);
        spec.OciVersion.Should().Be("1.0.2-dev");
        spec.Root.Should().Be(new Root { Path = "rootfs", Readonly = true });
        spec.Hostname.Should().Be("box");
        spec.Mounts![0].Should().BeEquivalentTo(new Mount { Destination = "/proc", Type = "proc", Source = "proc" });
        spec.Mounts[1].Options.Should().Equal("rbind", "ro");
        spec.Annotations.Should().Equal(new Dictionary<string, string> { ["io.kubernetes.cri.container-type"] = "container" });
    }

    [Fact]
    public void The_default_spec_text_round_trips_through_the_parser()
    {
        var spec = SpecLoader.Parse(DefaultSpec.Json);
        spec.Process!.Args.Should().Equal("sh");
        spec.Mounts.Should().HaveCount(7);
    }

    [Fact]
    public void Json_null_is_the_same_as_an_absent_field()
    {
        var spec = SpecLoader.Parse("""{ "process": null, "hostname": null, "linux": { "resources": { "memory": { "limit": null } } } }""");
        spec.Process.Should().BeNull();
        spec.Hostname.Should().BeNull();
        spec.Linux!.Resources!.Memory!.Limit.Should().BeNull();
    }

    [Theory]
    [InlineData("""{ "process": { "user": { "uid": "root" } } }""", "process.user.uid: expected an integer from 0 to 4294967295, got the string \"root\"")]
    [InlineData("""{ "process": { "user": { "uid": -1 } } }""", "process.user.uid: expected an integer from 0 to 4294967295, got the number -1")]
    [InlineData("""{ "process": { "user": { "uid": 4294967296 } } }""", "process.user.uid: expected an integer from 0 to 4294967295, got the number 4294967296")]
    [InlineData("""{ "process": { "user": { "gid": 1.5 } } }""", "process.user.gid: expected an integer from 0 to 4294967295, got the number 1.5")]
    [InlineData("""{ "process": { "user": { "additionalGids": [1, "x"] } } }""", "process.user.additionalGids[1]: expected an integer from 0 to 4294967295, got the string \"x\"")]
    [InlineData("""{ "process": { "args": "sh" } }""", "process.args: expected an array, got the string \"sh\"")]
    [InlineData("""{ "process": { "args": ["sh", 1] } }""", "process.args[1]: expected a string, got the number 1")]
    [InlineData("""{ "process": { "terminal": "yes" } }""", "process.terminal: expected true or false, got the string \"yes\"")]
    [InlineData("""{ "process": { "rlimits": [{ "type": "RLIMIT_NOFILE", "hard": "many" }] } }""", "process.rlimits[0].hard: expected a non-negative integer, got the string \"many\"")]
    [InlineData("""{ "process": 5 }""", "process: expected an object, got the number 5")]
    [InlineData("""{ "root": { "readonly": "yes" } }""", "root.readonly: expected true or false, got the string \"yes\"")]
    [InlineData("""{ "mounts": [{ "destination": 5 }] }""", "mounts[0].destination: expected a string, got the number 5")]
    [InlineData("""{ "mounts": ["/proc"] }""", "mounts[0]: expected an object, got the string \"/proc\"")]
    [InlineData("""{ "mounts": [{ "destination": "/x", "uidMappings": [{ "containerID": "0" }] }] }""", "mounts[0].uidMappings[0].containerID: expected an integer from 0 to 4294967295, got the string \"0\"")]
    [InlineData("""{ "linux": { "uidMappings": [{ "hostID": true }] } }""", "linux.uidMappings[0].hostID: expected an integer from 0 to 4294967295, got true")]
    [InlineData("""{ "linux": { "namespaces": [{ "type": "pid" }, { "type": 7 }] } }""", "linux.namespaces[1].type: expected a string, got the number 7")]
    [InlineData("""{ "linux": { "sysctl": { "a": 1 } } }""", "linux.sysctl[\"a\"]: expected a string, got the number 1")]
    [InlineData("""{ "linux": { "resources": { "memory": { "kernelTCP": "big" } } } }""", "linux.resources.memory.kernelTCP: expected an integer, got the string \"big\"")]
    [InlineData("""{ "linux": { "resources": { "memory": { "disableOOMKiller": 1 } } } }""", "linux.resources.memory.disableOOMKiller: expected true or false, got the number 1")]
    [InlineData("""{ "linux": { "resources": { "devices": [{ "major": "1" }] } } }""", "linux.resources.devices[0].major: expected an integer, got the string \"1\"")]
    [InlineData("""{ "annotations": { "k": ["v"] } }""", "annotations[\"k\"]: expected a string, got an array")]
    public void A_field_of_the_wrong_type_names_its_json_path(string json, string problem)
    {
        var act = () => SpecLoader.Parse(json);
        var message = act.Should().Throw<ContainerError>().Which.Message;
        message.Should().Be($"config.json: {problem}");
        message.Should().NotContain("   at ", "a user error carries no stack trace");
    }

    [Theory]
    [InlineData("{\n  \"process\": {\n    \"args\": [\"sh\"]\n    \"cwd\": \"/\"\n  }\n}", 4)] // missing comma after the array
    [InlineData("{\n  \"hostname\": \"a\"\n  \"domainname\": \"b\"\n}", 3)]
    [InlineData("{ \"process\": { \"user\": { \"uid\": 0 }", 1)]                          // truncated
    public void Broken_json_names_the_line(string json, int line)
    {
        var act = () => SpecLoader.Parse(json);
        var message = act.Should().Throw<ContainerError>().Which.Message;
        message.Should().StartWith($"config.json: invalid JSON at line {line}, column ");
        message.Should().NotContainAny("LineNumber", "BytePositionInLine", "   at ", "System.Text.Json");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    public void Something_that_is_not_json_at_all_is_an_invalid_json_error(string text)
    {
        var act = () => SpecLoader.Parse(text);
        act.Should().Throw<ContainerError>().Which.Message.Should().StartWith("config.json: invalid JSON");
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"config\"")]
    [InlineData("null")]
    public void A_document_that_is_not_an_object_is_refused(string json)
    {
        var act = () => SpecLoader.Parse(json);
        act.Should().Throw<ContainerError>().WithMessage("config.json: the document must be a JSON object");
    }

    [Fact]
    public void A_missing_bundle_directory_is_named()
    {
        var act = () => SpecLoader.Load("/nonexistent-bundle-dir");
        act.Should().Throw<ContainerError>().WithMessage("bundle /nonexistent-bundle-dir: no such directory");
    }

    [Fact]
    public void A_bundle_without_config_json_points_to_oci_run_spec()
    {
        var bundle = Directory.CreateTempSubdirectory("ocirun-bundle-").FullName;
        try
        {
            var act = () => SpecLoader.Load(bundle);
            act.Should().Throw<ContainerError>().Which.Message.Should()
                .StartWith($"{bundle}/config.json: no such file").And.Contain("oci-run spec");
        }
        finally
        {
            Directory.Delete(bundle, true);
        }
    }

    [Fact]
    public void Load_returns_the_model_and_the_exact_bytes()
    {
        var bundle = Directory.CreateTempSubdirectory("ocirun-bundle-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(bundle, "config.json"), RuncStyle);
            var loaded = SpecLoader.Load(bundle);
            loaded.Spec.Hostname.Should().Be("box");
            loaded.Json.Should().Equal(System.Text.Encoding.UTF8.GetBytes(RuncStyle));
        }
        finally
        {
            Directory.Delete(bundle, true);
        }
    }
    // ---- strict JSON, as runc reads it ----

    private const string Valid = """
        { "ociVersion": "1.2.1", "process": { "args": ["sh"], "cwd": "/" }, "root": { "path": "rootfs" },
          "linux": { "namespaces": [{ "type": "mount" }, { "type": "uts" }] } }
        """;

    private static string ErrorOf(Func<object> act) => act.Should().Throw<ContainerError>().Which.Message;

    private static string ErrorOf(byte[] json) => ErrorOf(() => SpecValidator.ParseValid(json));

    [Fact]
    public void The_valid_base_config_of_these_tests_parses_and_validates()
    {
        SpecValidator.ParseValid(Valid).Process!.Args.Should().Equal("sh");
    }

    [Theory]
    [InlineData("{ // a comment\n \"ociVersion\": \"1.2.1\" }", 1, 3)]
    [InlineData("{\n  \"ociVersion\": \"1.2.1\" /* a comment */\n}", 2, 25)]
    public void A_comment_is_refused(string json, int line, int column)
    {
        ErrorOf(() => SpecLoader.Parse(json)).Should().Be(
            $"config.json: invalid JSON at line {line}, column {column}: a comment; JSON has none (runc refuses them too)");
    }

    [Theory]
    [InlineData("{ \"process\": { \"args\": [\"sh\",] } }", ']', 30)]
    [InlineData("{ \"ociVersion\": \"1.2.1\", }", '}', 26)]
    [InlineData("{ \"process\": { \"cwd\": \"/\",\n } }", '}', 2)]
    public void A_trailing_comma_is_refused(string json, char closing, int column)
    {
        ErrorOf(() => SpecLoader.Parse(json)).Should()
            .StartWith("config.json: invalid JSON at line ").And
            .EndWith($", column {column}: a comma before '{closing}'; JSON allows no trailing comma (runc refuses it too)");
    }

    [Fact]
    public void Invalid_utf8_names_the_line_column_and_byte()
    {
        // This used to end in an unhandled InvalidOperationException (exit 134) when the hostname was read.
        var json = Concat("{\"ociVersion\":\"1.0.2\",\"hostname\":\"", [0xFF], "\"}");
        ErrorOf(json).Should().Be("config.json: not valid UTF-8 at line 1, column 35 (byte 0xFF): save the file as UTF-8");
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0xAF })]       // an overlong '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // a UTF-16 surrogate, encoded
    [InlineData(new byte[] { 0xE2, 0x82 })]       // cut short
    [InlineData(new byte[] { 0x80 })]             // a continuation byte alone
    public void Every_kind_of_invalid_utf8_is_refused_wherever_it_is(byte[] bad)
    {
        var inValue = Concat("{ \"ociVersion\": \"1.2.1\",\n  \"hostname\": \"a", bad, "\" }");
        ErrorOf(inValue).Should().StartWith("config.json: not valid UTF-8 at line 2, column 17 (byte 0x");
        var inName = Concat("{ \"x", bad, "\": 1 }");
        ErrorOf(inName).Should().StartWith("config.json: not valid UTF-8 at line 1, column 5");
        var atTheEnd = Concat(Valid, bad, "");
        ErrorOf(atTheEnd).Should().StartWith("config.json: not valid UTF-8 at line 2, column ");
    }

    private static byte[] Concat(string before, byte[] bad, string after) =>
        [.. System.Text.Encoding.UTF8.GetBytes(before), .. bad, .. System.Text.Encoding.UTF8.GetBytes(after)];

    [Theory]
    [InlineData("""{ "hostname": "a\ud800b" }""", 15)]
    [InlineData("""{ "x": "\uDFFF" }""", 8)]
    [InlineData("""{ "linux": { "sysctl": { "net.\udc00": "1" } } }""", 26)]
    [InlineData("""{ "unknown\ud800field": 1 }""", 3)]
    public void Half_a_surrogate_pair_in_an_escape_is_invalid_json(string json, int column)
    {
        // Like invalid UTF-8 this used to be an unhandled exception, when the string or a field beside it was read.
        ErrorOf(() => SpecLoader.Parse(json)).Should().MatchRegex(
            $"^config.json: invalid JSON at line 1, column {column}: a \\\\u escape holds half of a UTF-16 surrogate pair$");
    }

    [Fact]
    public void A_surrogate_pair_in_escapes_is_fine()
    {
        SpecLoader.Parse("""{ "hostname": "\ud83d\ude00" }""").Hostname.Should().Be("\U0001F600");
    }

    [Theory]
    [InlineData("""{ "hostname": "box\u0000evil" }""", "hostname")]
    [InlineData("""{ "process": { "args": ["sh", "-c\u0000"] } }""", "process.args[1]")]
    [InlineData("""{ "process": { "env": ["A=\u0000"] } }""", "process.env[0]")]
    [InlineData("""{ "mounts": [{ "destination": "/x", "options": ["ro", "\u0000"] }] }""", "mounts[0].options[1]")]
    [InlineData("""{ "linux": { "sysctl": { "net.a": "1\u0000" } } }""", "linux.sysctl[\"net.a\"]")]
    [InlineData("""{ "annotations": { "k": "\u0000v" } }""", "annotations[\"k\"]")]
    [InlineData("""{ "root": { "path": "\u0000" } }""", "root.path")]
    public void A_nul_in_a_string_is_refused_with_its_path(string json, string path)
    {
        ErrorOf(() => SpecLoader.Parse(json)).Should()
            .Be($"config.json: {path}: contains a NUL character (\\u0000): the kernel would cut the string there");
    }

    [Fact]
    public void A_nul_in_a_map_key_is_refused_with_its_path()
    {
        ErrorOf(() => SpecLoader.Parse("""{ "linux": { "sysctl": { "net.a\u0000b": "1" } } }""")).Should()
            .Be("config.json: linux.sysctl[\"net.a\\u0000b\"]: the key contains a NUL character (\\u0000): the kernel would cut the string there");
    }

    [Fact]
    public void A_huge_value_is_cut_in_the_message_and_said_to_be()
    {
        var huge = new string('x', 100_000);
        var message = ErrorOf(() => SpecLoader.Parse($$"""{ "process": { "user": { "uid": "{{huge}}" } } }"""));
        message.Should().Be(
            $"config.json: process.user.uid: expected an integer from 0 to 4294967295, got the string \"{huge[..100]}\"... (cut: 100000 characters in all)");
        var number = new string('9', 5000);
        ErrorOf(() => SpecLoader.Parse($$"""{ "process": { "user": { "gid": {{number}} } } }""")).Should()
            .EndWith($"got the number {number[..100]}... (cut: 5000 characters in all)");
    }

    [Fact]
    public void A_value_with_control_characters_is_shown_escaped_on_one_line()
    {
        ErrorOf(() => SpecLoader.Parse("""{ "process": { "user": { "uid": "a\nb\t\"c\"" } } }""")).Should()
            .Be("config.json: process.user.uid: expected an integer from 0 to 4294967295, got the string \"a\\nb\\t\\\"c\\\"\"");
    }

    // ---- every problem at once ----

    [Fact]
    public void Every_wrong_type_is_listed_in_one_error()
    {
        var message = ErrorOf(() => SpecLoader.Parse("""{ "process": { "terminal": "no", "user": { "uid": "root", "gid": [] } }, "mounts": 3 }"""));
        message.Should().Be("config.json: 4 problems: "
            + "process.terminal: expected true or false, got the string \"no\"; "
            + "process.user.uid: expected an integer from 0 to 4294967295, got the string \"root\"; "
            + "process.user.gid: expected an integer from 0 to 4294967295, got an array; "
            + "mounts: expected an array, got the number 3");
    }

    [Fact]
    public void Wrong_types_and_validation_problems_come_in_one_error()
    {
        var json = Valid.Replace("\"cwd\": \"/\"", "\"cwd\": \"tmp\", \"user\": { \"uid\": -1 }").Replace("\"1.2.1\"", "\"2.0.0\"");
        ErrorOf(() => SpecValidator.ParseValid(json)).Should().Be("config.json: 3 problems: "
            + "process.user.uid: expected an integer from 0 to 4294967295, got the number -1; "
            + "ociVersion: \"2.0.0\" is not supported: oci-run implements runtime-spec 1.x (up to 1.2.1); "
            + "process.cwd: must be an absolute path, not \"tmp\"");
    }

    [Fact]
    public void A_wrong_typed_field_is_not_reported_again_by_the_validator()
    {
        // Read as absent, process would also be "process: missing": one problem is enough.
        ErrorOf(() => SpecValidator.ParseValid(Valid.Replace("\"process\": {", "\"process\": 5, \"x\": {"))).Should()
            .Be("config.json: process: expected an object, got the number 5");
        ErrorOf(() => SpecValidator.ParseValid(Valid.Replace("{ \"type\": \"uts\" }", "\"uts\""))).Should()
            .Be("config.json: linux.namespaces[1]: expected an object, got the string \"uts\"");
    }

    [Fact]
    public void A_wrong_item_keeps_the_indexes_of_the_items_after_it()
    {
        ErrorOf(() => SpecValidator.ParseValid(Valid.Replace("{ \"type\": \"uts\" }", "{ \"type\": \"uts\" }, 7, { \"type\": \"bogus\" }"))).Should()
            .Be("config.json: 2 problems: linux.namespaces[2]: expected an object, got the number 7; "
                + "linux.namespaces[3].type: unknown namespace type \"bogus\"");
    }

    [Fact]
    public void A_long_list_of_problems_is_cut_after_fifty()
    {
        var gids = string.Join(", ", Enumerable.Repeat("\"g\"", 1000));
        var message = ErrorOf(() => SpecLoader.Parse($$"""{ "process": { "user": { "additionalGids": [{{gids}}] } } }"""));
        message.Should().StartWith("config.json: 1000 problems: process.user.additionalGids[0]: ").And.EndWith("; and 950 more");
        message.Split("; ").Should().HaveCount(51);
    }

    [Fact]
    public void Too_deep_nesting_is_invalid_json_not_a_crash()
    {
        var deep = $$"""{ "x": {{new string('[', 10_000)}}{{new string(']', 10_000)}} }""";
        ErrorOf(() => SpecLoader.Parse(deep)).Should().StartWith("config.json: invalid JSON at line 1, column ").And.Contain("depth");
    }

    // ---- the file ----

    [Fact]
    public void A_symlink_to_a_regular_file_is_read()
    {
        using var bundle = new TempBundle();
        var real = Path.Combine(bundle.Dir, "real.json");
        File.WriteAllText(real, Valid);
        File.CreateSymbolicLink(Path.Combine(bundle.Dir, "config.json"), real);
        SpecValidator.LoadValid(bundle.Dir).Json.Should().Equal(System.Text.Encoding.UTF8.GetBytes(Valid));
    }

    [Fact]
    public void A_symlink_to_dev_zero_fails_at_once_and_reads_nothing()
    {
        using var bundle = new TempBundle();
        File.CreateSymbolicLink(Path.Combine(bundle.Dir, "config.json"), "/dev/zero");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ErrorOf(() => SpecLoader.Load(bundle.Dir)).Should()
            .Be($"{bundle.Dir}/config.json: not a regular file but a character device: config.json must be a file");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_fifo_fails_at_once_instead_of_waiting_for_a_writer()
    {
        using var bundle = new TempBundle();
        var fifo = Path.Combine(bundle.Dir, "config.json");
        Interop.LibC.mkfifoat(Interop.AT.FDCWD, fifo, 0x180).Should().Be(0);
        ErrorOf(() => SpecLoader.Load(bundle.Dir)).Should().Be($"{fifo}: not a regular file but a FIFO: config.json must be a file");
    }

    [Fact]
    public void A_directory_named_config_json_is_refused()
    {
        using var bundle = new TempBundle();
        Directory.CreateDirectory(Path.Combine(bundle.Dir, "config.json"));
        ErrorOf(() => SpecLoader.Load(bundle.Dir)).Should().EndWith("config.json: not a regular file but a directory: config.json must be a file");
    }

    [Fact]
    public void A_file_over_16_MiB_is_refused_before_it_is_read()
    {
        using var bundle = new TempBundle();
        using (var file = File.Create(Path.Combine(bundle.Dir, "config.json"))) file.SetLength(SpecLoader.MaxSize + 1L); // sparse
        ErrorOf(() => SpecLoader.Load(bundle.Dir)).Should()
            .Be($"{bundle.Dir}/config.json: 16777217 bytes is too big for a config.json (the limit is 16 MiB)");
    }

    [Fact]
    public void An_empty_file_is_invalid_json()
    {
        using var bundle = new TempBundle();
        File.WriteAllBytes(Path.Combine(bundle.Dir, "config.json"), []);
        ErrorOf(() => SpecLoader.Load(bundle.Dir)).Should().StartWith("config.json: invalid JSON");
    }

    private sealed class TempBundle : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("ocirun-bundle-").FullName;

        public void Dispose() => Directory.Delete(Dir, true);
    }
}
