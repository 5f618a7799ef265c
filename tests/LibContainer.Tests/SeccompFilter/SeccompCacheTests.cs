using LibContainer.Security.Seccomp;
using static LibContainer.Tests.SeccompFilter.Profiles;

namespace LibContainer.Tests.SeccompFilter;

public sealed class SeccompCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ocirun-seccomp-cache-").FullName;

    private SeccompCache Cache => SeccompCache.Under(_root);

    private static SeccompProgram Program(uint flags = 1, int instructions = 3) =>
        new(SockFilter.ToBytes([.. Enumerable.Range(0, instructions).Select(i => new SockFilter(SockFilter.ReturnConstant, 0, 0, (uint)i))]), flags);

    [Fact]
    public void A_stored_program_is_found_by_its_key_and_by_no_other()
    {
        Cache.Store("key one", Program(flags: 5));
        var found = Cache.Find("key one");
        found.Should().NotBeNull();
        found!.Bpf.Should().Equal(Program().Bpf);
        found.Flags.Should().Be(5u);
        Cache.Find("key two").Should().BeNull();
        Directory.GetFiles(Path.Combine(_root, "@seccomp")).Should().ContainSingle().Which.Should().EndWith(".bpf");
    }

    [Fact]
    public void An_entry_whose_key_differs_is_not_used_even_under_the_same_name()
    {
        Cache.Store("key", Program());
        var file = Directory.GetFiles(Path.Combine(_root, "@seccomp")).Single();
        var bytes = File.ReadAllBytes(file);
        bytes[0] ^= 1; // another key, as a hash collision would give
        File.WriteAllBytes(file, bytes);
        Cache.Find("key").Should().BeNull();
    }

    [Fact]
    public void A_damaged_entry_is_not_used()
    {
        Cache.Store("key", Program());
        var file = Directory.GetFiles(Path.Combine(_root, "@seccomp")).Single();
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..^3]);
        Cache.Find("key").Should().BeNull();
    }

    [Fact]
    public void The_oldest_entries_go_beyond_the_limit()
    {
        var dir = Path.Combine(_root, "@seccomp");
        var start = DateTime.UtcNow.AddHours(-1);
        for (var i = 0; i < SeccompCache.MaxEntries + 3; i++)
        {
            var before = Directory.Exists(dir) ? Directory.GetFiles(dir).ToHashSet() : [];
            Cache.Store($"key {i}", Program());
            // Written a minute apart, so their order does not hang on the clock's resolution.
            foreach (var added in Directory.GetFiles(dir).Where(f => !before.Contains(f))) File.SetLastWriteTimeUtc(added, start.AddMinutes(i));
        }
        Directory.GetFiles(dir, "*.bpf").Should().HaveCount(SeccompCache.MaxEntries);
        Cache.Find("key 0").Should().BeNull();
        Cache.Find("key 2").Should().BeNull();
        Cache.Find("key 3").Should().NotBeNull();
        Cache.Find($"key {SeccompCache.MaxEntries + 2}").Should().NotBeNull();
    }

    [Fact]
    public void A_cache_that_cannot_be_written_is_skipped()
    {
        var cache = new SeccompCache("/proc/no-such-dir/@seccomp");
        cache.Store("key", Program());
        cache.Find("key").Should().BeNull();
    }

    [Fact]
    public void The_key_changes_with_every_input_of_the_compiler()
    {
        var plan = SeccompPlan.For(Docker);
        var key = SeccompCache.Key(plan, "2.5.4", "6.18.44");
        SeccompCache.Key(SeccompPlan.For(Docker), "2.5.4", "6.18.44").Should().Be(key);
        SeccompCache.Key(plan, "2.5.5", "6.18.44").Should().NotBe(key);
        SeccompCache.Key(plan, "2.5.4", "6.19.0").Should().NotBe(key);
        var changed = Docker with { Syscalls = [.. Docker.Syscalls!.Take(Docker.Syscalls!.Count - 1)] };
        SeccompCache.Key(SeccompPlan.For(changed), "2.5.4", "6.18.44").Should().NotBe(key);
        var errno = Docker with { DefaultErrnoRet = 13 };
        SeccompCache.Key(SeccompPlan.For(errno), "2.5.4", "6.18.44").Should().NotBe(key);
        var arg = Of("SCMP_ACT_ALLOW", Entry("SCMP_ACT_ERRNO", "personality") with { Args = [Arg(0, "SCMP_CMP_EQ", 8)] });
        var otherArg = Of("SCMP_ACT_ALLOW", Entry("SCMP_ACT_ERRNO", "personality") with { Args = [Arg(0, "SCMP_CMP_EQ", 9)] });
        SeccompCache.Key(SeccompPlan.For(arg), "v", "k").Should().NotBe(SeccompCache.Key(SeccompPlan.For(otherArg), "v", "k"));
    }

    [Fact]
    public void The_cached_program_is_the_compiled_one()
    {
        var plan = SeccompPlan.For(Docker);
        var first = Cache.GetOrCompile(plan);
        var second = Cache.GetOrCompile(plan);
        second.Bpf.Should().Equal(first.Bpf);
        second.Bpf.Should().Equal(SeccompCompiler.Compile(plan).Bpf);
        Directory.GetFiles(Path.Combine(_root, "@seccomp"), "*.bpf").Should().ContainSingle();
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
