using LibContainer.Cgroups;

namespace LibContainer.Tests;

/// <summary>CgroupDirectory on plain files standing in for cgroupfs (no root needed).</summary>
public sealed class CgroupDirectoryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cgroupdir-test-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Level(string relative, string cpus, string mems)
    {
        var dir = Path.Combine(_root, relative);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "cpuset.cpus"), cpus);
        File.WriteAllText(Path.Combine(dir, "cpuset.mems"), mems);
        return dir;
    }

    private static string Read(string dir, string file) => File.ReadAllText(Path.Combine(dir, file)).Trim();

    [Fact]
    public void A_half_made_cpuset_cgroup_is_completed_from_the_first_ancestor_that_has_both()
    {
        Level(".", "0-3", "0");
        var parent = Level("oci", "0-1", ""); // half-made: mems missing
        var container = Level("oci/c1", "", "");

        CgroupDirectory.CreateCpuset(container);

        Read(parent, "cpuset.cpus").Should().Be("0-1", "a value already set is kept");
        Read(parent, "cpuset.mems").Should().Be("0");
        Read(container, "cpuset.cpus").Should().Be("0-1", "each level copies its parent's");
        Read(container, "cpuset.mems").Should().Be("0");
    }

    [Fact]
    public void A_complete_cpuset_cgroup_is_left_as_it_is()
    {
        Level(".", "0-3", "0");
        var container = Level("c1", "2", "0");
        CgroupDirectory.CreateCpuset(container);
        Read(container, "cpuset.cpus").Should().Be("2");
    }
}
