using LibContainer;
using LibContainer.Spec;

namespace LibContainer.Tests;

public sealed class SpecValidatorTests
{
    private static string Problem(string json) => SpecValidator.Problems(SpecLoader.Parse(json)).Should().ContainSingle().Which;

    private const string Base = """
        "root": { "path": "rootfs" },
        "linux": { "namespaces": [{ "type": "mount" }, { "type": "uts" }] }
        """;

    private static string With(string process = """ "process": { "args": ["sh"], "cwd": "/" } """, string extra = "") =>
        extra.Length == 0 ? $"{{ {process}, {Base} }}" : $"{{ {process}, {Base}, {extra} }}";

    [Fact]
    public void The_default_spec_has_no_problem()
    {
        SpecValidator.Problems(DefaultSpec.Create()).Should().BeEmpty();
    }

    [Fact]
    public void A_minimal_config_has_no_problem()
    {
        SpecValidator.Problems(SpecLoader.Parse(With())).Should().BeEmpty();
    }

    [Theory]
    [InlineData(""" "process": { "cwd": "/" } """, "process.args")]
    [InlineData(""" "process": { "args": ["sh"], "cwd": "tmp" } """, "process.cwd")]
    [InlineData(""" "process": { "args": ["sh"], "cwd": "/", "terminal": true } """, "process.terminal")]
    [InlineData(""" "process": { "args": ["sh"], "cwd": "/", "rlimits": [{ "type": "RLIMIT_BOGUS", "hard": 1, "soft": 1 }] } """, "RLIMIT_BOGUS")]
    [InlineData(""" "process": { "args": ["sh"], "cwd": "/", "rlimits": [{ "type": "RLIMIT_NOFILE", "hard": 1, "soft": 2 }] } """, "process.rlimits[0]")]
    [InlineData(""" "process": { "args": ["sh"], "cwd": "/", "capabilities": { "bounding": ["CAP_FLY"] } } """, "process.capabilities.bounding[0]")]
    public void A_process_problem_names_the_field(string process, string named)
    {
        Problem(With(process)).Should().Contain(named);
    }

    [Theory]
    [InlineData(""" "hooks": { "prestart": [{ "path": "/bin/true" }] } """, "hooks.prestart")]
    [InlineData(""" "mounts": [{ "destination": "relative", "type": "tmpfs" }] """, "mounts[0].destination")]
    [InlineData(""" "mounts": [{ "destination": "/x", "type": "bind", "options": ["idmap"] }] """, "idmap")]
    [InlineData(""" "hostname": "h", "domainname": "d", "windows": {} """, "windows")]
    public void A_config_problem_names_the_field(string extra, string named)
    {
        Problem(With(extra: extra)).Should().Contain(named);
    }

    [Theory]
    [InlineData(""" "seccomp": { "defaultAction": "SCMP_ACT_ALLOW" } """, "linux.seccomp")]
    [InlineData(""" "resources": { "memory": { "limit": 1000000 } } """, "linux.resources.memory")]
    [InlineData(""" "resources": { "pids": { "limit": 10 } } """, "linux.resources.pids")]
    [InlineData(""" "uidMappings": [{ "containerID": 0, "hostID": 1000, "size": 1 }] """, "linux.uidMappings")]
    [InlineData(""" "rootfsPropagation": "sideways" """, "linux.rootfsPropagation")]
    [InlineData(""" "devices": [{ "path": "/dev/x", "type": "q" }] """, "linux.devices[0].type")]
    [InlineData(""" "sysctl": { "kernel.panic": "1" } """, "kernel.panic")]
    [InlineData(""" "sysctl": { "net.ipv4.ip_forward": "1" } """, "network namespace")]
    public void A_linux_problem_names_the_field(string linux, string named)
    {
        var json = $$"""{ "process": { "args": ["sh"], "cwd": "/" }, "root": { "path": "r" }, "linux": { "namespaces": [{ "type": "mount" }], {{linux}} } }""";
        Problem(json).Should().Contain(named);
    }

    [Fact]
    public void An_empty_resource_section_asks_for_nothing()
    {
        var json = """{ "process": { "args": ["sh"], "cwd": "/" }, "root": { "path": "r" }, "linux": { "namespaces": [{ "type": "mount" }], "resources": { "memory": {}, "cpu": {} } } }""";
        SpecValidator.Problems(SpecLoader.Parse(json)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("""[{ "type": "mount" }, { "type": "bogus" }]""", "linux.namespaces[1].type")]
    [InlineData("""[{ "type": "mount" }, { "type": "mount" }]""", "listed twice")]
    [InlineData("""[{ "type": "mount" }, { "type": "user" }]""", "user namespace")]
    [InlineData("""[{ "type": "pid" }]""", "mount namespace is required")]
    public void Namespace_problems_are_named(string namespaces, string named)
    {
        var json = $$"""{ "process": { "args": ["sh"], "cwd": "/" }, "root": { "path": "r" }, "linux": { "namespaces": {{namespaces}} } }""";
        Problem(json).Should().Contain(named);
    }

    [Fact]
    public void A_hostname_needs_a_uts_namespace()
    {
        var json = """{ "process": { "args": ["sh"], "cwd": "/" }, "root": { "path": "r" }, "hostname": "h", "linux": { "namespaces": [{ "type": "mount" }] } }""";
        Problem(json).Should().Contain("UTS namespace");
    }

    [Fact]
    public void Validate_throws_the_first_problem_with_the_file_name()
    {
        var act = () => SpecValidator.Validate(SpecLoader.Parse("""{ "root": { "path": "r" }, "linux": { "namespaces": [{ "type": "mount" }] } }"""));
        act.Should().Throw<ContainerError>().WithMessage("config.json: process: missing");
    }
}
