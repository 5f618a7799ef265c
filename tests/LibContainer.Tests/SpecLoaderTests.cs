using LibContainer;
using LibContainer.Spec;

namespace LibContainer.Tests;

public sealed class SpecLoaderTests
{
    [Fact]
    public void A_runc_style_config_parses_into_the_model()
    {
        var spec = SpecLoader.Parse("""
            {
              "ociVersion": "1.0.2",
              "process": { "user": { "uid": 1000, "gid": 100, "additionalGids": [5, 6] }, "args": ["sh"], "cwd": "/",
                           "rlimits": [{ "type": "RLIMIT_NOFILE", "hard": 1024, "soft": 512 }], "noNewPrivileges": true },
              "root": { "path": "rootfs", "readonly": true },
              "mounts": [{ "destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid"],
                           "uidMappings": [{ "containerID": 0, "hostID": 1000, "size": 1 }] }],
              "linux": { "namespaces": [{ "type": "pid" }, { "type": "network", "path": "/proc/1/ns/net" }],
                         "resources": { "memory": { "limit": -1, "kernelTCP": 5, "disableOOMKiller": true },
                                        "devices": [{ "allow": false, "access": "rwm" }] },
                         "sysctl": { "net.ipv4.ip_forward": "1" } },
              "annotations": { "a": "b" },
              "unknownField": { "is": "ignored" }
            }
            """);
        spec.Process!.User!.Uid.Should().Be(1000);
        spec.Process.User.AdditionalGids.Should().Equal(5u, 6u);
        spec.Process.Rlimits![0].Soft.Should().Be(512);
        spec.Root!.Readonly.Should().BeTrue();
        spec.Mounts![0].UidMappings![0].HostId.Should().Be(1000);
        spec.Linux!.Namespaces![1].Path.Should().Be("/proc/1/ns/net");
        spec.Linux.Resources!.Memory!.Limit.Should().Be(-1);
        spec.Linux.Resources.Memory.KernelTcp.Should().Be(5);
        spec.Linux.Resources.Memory.DisableOomKiller.Should().BeTrue();
        spec.Linux.Resources.Devices![0].Allow.Should().BeFalse();
        spec.Linux.Sysctl!["net.ipv4.ip_forward"].Should().Be("1");
        spec.Annotations!["a"].Should().Be("b");
    }

    [Theory]
    [InlineData("""{ "process": { "user": { "uid": "root" } } }""", "process.user.uid", "string \"root\"")]
    [InlineData("""{ "process": { "user": { "uid": -1 } } }""", "process.user.uid", "-1")]
    [InlineData("""{ "process": { "args": "sh" } }""", "process.args", "an array")]
    [InlineData("""{ "process": { "args": ["sh", 1] } }""", "process.args[1]", "a string")]
    [InlineData("""{ "mounts": [{ "destination": 5 }] }""", "mounts[0].destination", "a string")]
    [InlineData("""{ "linux": { "sysctl": { "a": 1 } } }""", "linux.sysctl[\"a\"]", "a string")]
    [InlineData("""{ "root": { "readonly": "yes" } }""", "root.readonly", "true or false")]
    public void A_field_of_the_wrong_type_is_named(string json, string path, string detail)
    {
        var act = () => SpecLoader.Parse(json);
        act.Should().Throw<ContainerError>()
            .Which.Message.Should().StartWith($"config.json: {path}: expected").And.Contain(detail);
    }

    [Fact]
    public void Broken_json_says_where()
    {
        var act = () => SpecLoader.Parse("{\n  \"process\": {\n");
        act.Should().Throw<ContainerError>().Which.Message.Should().StartWith("config.json: invalid JSON at line");
    }

    [Fact]
    public void A_document_that_is_not_an_object_is_refused()
    {
        var act = () => SpecLoader.Parse("[1, 2]");
        act.Should().Throw<ContainerError>().Which.Message.Should().Contain("must be a JSON object");
    }

    [Fact]
    public void A_missing_bundle_says_so()
    {
        var act = () => SpecLoader.Load("/nonexistent-bundle-dir");
        act.Should().Throw<ContainerError>().Which.Message.Should().Contain("/nonexistent-bundle-dir");
    }
}
