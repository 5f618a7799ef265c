using LibContainer.Spec;
using LibContainer.Validation;

namespace LibContainer.Tests;

/// <summary>linux.uidMappings/gidMappings and the user namespace, as create checks them before anything is made.</summary>
public sealed class UserNamespaceRuleTests
{
    private static List<string> Problems(RuntimeSpec spec) => [.. SpecValidator.Problems(spec).Select(p => p.ToString())];

    private static IdMapping Map(uint container, uint host, uint size) => new() { ContainerId = container, HostId = host, Size = size };

    // The default namespaces plus a new user namespace, with the given mappings.
    private static RuntimeSpec WithUserNamespace(List<IdMapping>? uids, List<IdMapping>? gids, string? path = null) =>
        Specs.WithLinux(l => l with
        {
            Namespaces = [.. Specs.Namespaces("pid", "mount", "ipc", "uts", "network"), new Namespace { Type = "user", Path = path }],
            UidMappings = uids,
            GidMappings = gids,
        });

    [Fact]
    public void A_new_user_namespace_with_root_mapped_is_valid()
    {
        Problems(WithUserNamespace([Map(0, 100000, 65536)], [Map(0, 100000, 65536)])).Should().BeEmpty();
    }

    [Fact]
    public void Several_ranges_that_do_not_overlap_are_valid()
    {
        Problems(WithUserNamespace([Map(0, 100000, 1), Map(1, 200001, 999), Map(1000, 1000, 1)], [Map(0, 100000, 65536)])).Should().BeEmpty();
    }

    [Fact]
    public void Mappings_without_a_user_namespace_are_refused_as_runc_refuses_them()
    {
        var spec = Specs.WithLinux(l => l with { UidMappings = [Map(0, 100000, 65536)], GidMappings = [Map(0, 100000, 65536)] });
        Problems(spec).Should().Equal(
            "linux.uidMappings: mappings are given but linux.namespaces has no user namespace",
            "linux.gidMappings: mappings are given but linux.namespaces has no user namespace");
    }

    [Fact]
    public void A_new_user_namespace_without_mappings_is_refused()
    {
        Problems(WithUserNamespace(null, [])).Should().Equal(
            "linux.uidMappings: a new user namespace needs uid mappings",
            "linux.gidMappings: a new user namespace needs gid mappings");
    }

    [Fact]
    public void Root_must_be_mapped_since_init_becomes_root_in_the_namespace()
    {
        Problems(WithUserNamespace([Map(1, 100000, 10)], [Map(0, 100000, 10)])).Should().Equal(
            "linux.uidMappings: must map container uid 0: init becomes root in the new user namespace");
    }

    [Fact]
    public void An_empty_range_is_named_by_its_index()
    {
        Problems(WithUserNamespace([Map(0, 100000, 65536), Map(70000, 300000, 0)], [Map(0, 100000, 65536)])).Should().Equal(
            "linux.uidMappings[1]: size must be at least 1");
    }

    [Fact]
    public void Overlapping_ranges_on_either_side_are_refused()
    {
        Problems(WithUserNamespace([Map(0, 100000, 1000), Map(999, 500000, 10)], [Map(0, 100000, 1000), Map(5000, 100500, 10)])).Should().Equal(
            "linux.uidMappings[1]: containerID range overlaps that of entry 0",
            "linux.gidMappings[1]: hostID range overlaps that of entry 0");
    }

    [Fact]
    public void A_range_past_the_last_id_is_refused()
    {
        Problems(WithUserNamespace([Map(0, 4294967000, 1000)], [Map(0, 100000, 1)])).Should().ContainSingle()
            .Which.Should().StartWith("linux.uidMappings[0]: ").And.Contain("goes past 4294967295");
    }

    [Fact]
    public void More_mappings_than_the_kernel_takes_in_one_write_are_refused()
    {
        var many = Enumerable.Range(0, 400).Select(i => Map((uint)i * 10, 1000000 + (uint)i * 10, 10)).ToList();
        Problems(WithUserNamespace(many, [Map(0, 100000, 1)])).Should().ContainSingle()
            .Which.Should().StartWith("linux.uidMappings: 400 mappings make").And.Contain("at most 4095");
    }

    [Fact]
    public void The_process_user_and_groups_must_be_mapped()
    {
        var spec = WithUserNamespace([Map(0, 100000, 1000)], [Map(0, 100000, 1000)]) with
        {
            Process = Specs.Valid().Process! with { User = new User { Uid = 1000, Gid = 5, AdditionalGids = [10, 2000] } },
        };
        Problems(spec).Should().Equal(
            "process.user.uid: 1000 is not mapped by linux.uidMappings",
            "process.user.additionalGids[1]: 2000 is not mapped by linux.gidMappings");
    }

    [Fact]
    public void A_joined_user_namespace_needs_no_mappings()
    {
        Problems(WithUserNamespace(null, null, "/proc/42/ns/user")).Should().BeEmpty();
    }

    [Fact]
    public void Mappings_given_with_a_joined_user_namespace_are_still_checked()
    {
        Problems(WithUserNamespace([Map(0, 100000, 0)], null, "/proc/42/ns/user")).Should().Equal("linux.uidMappings[0]: size must be at least 1");
    }

    [Fact]
    public void The_plan_says_whether_init_makes_or_joins_a_user_namespace_and_what_maps_create_writes()
    {
        UserNamespace.UserNamespacePlan.For(Specs.Valid()).Should().Be(UserNamespace.UserNamespacePlan.None);
        var made = UserNamespace.UserNamespacePlan.For(WithUserNamespace([Map(0, 100000, 65536)], [Map(0, 200000, 1), Map(1, 300001, 9)]));
        made.Should().Be(new UserNamespace.UserNamespacePlan(true, null, "0 100000 65536\n", "0 200000 1\n1 300001 9\n"));
        made.InUserNamespace.Should().BeTrue();
        var joined = UserNamespace.UserNamespacePlan.For(WithUserNamespace([Map(0, 100000, 65536)], [Map(0, 100000, 65536)], "/proc/42/ns/user"));
        joined.Should().Be(new UserNamespace.UserNamespacePlan(false, "/proc/42/ns/user", null, null), "a joined namespace's maps are not written again");
        joined.InUserNamespace.Should().BeTrue();
    }
}
