using LibContainer.Spec;
using LibContainer.UserNamespace;

namespace LibContainer.Validation;

/// <summary>
/// linux.uidMappings and gidMappings, as runc 1.1 checks them: a new user
/// namespace needs both, with container ID 0 mapped (init becomes root in
/// it); mappings without a user namespace are an error; and what the kernel
/// would refuse (empty or overlapping ranges, too long a map, the process's
/// IDs unmapped) is named before anything is made.
/// </summary>
internal sealed class UserNamespaceRule : IRule
{
    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        if (spec.Linux is not { } linux) return;
        var user = (linux.Namespaces ?? []).Find(n => n.Type == "user");
        var uids = linux.UidMappings ?? [];
        var gids = linux.GidMappings ?? [];
        if (user is null)
        {
            const string without = "mappings are given but linux.namespaces has no user namespace";
            if (uids.Count > 0) problems.Add("linux.uidMappings", without);
            if (gids.Count > 0) problems.Add("linux.gidMappings", without);
            return;
        }
        CheckShape("linux.uidMappings", uids, problems);
        CheckShape("linux.gidMappings", gids, problems);
        // A joined namespace has its maps already: the config's, if any, are not written.
        if (!string.IsNullOrEmpty(user.Path)) return;
        if (uids.Count == 0) problems.Add("linux.uidMappings", "a new user namespace needs uid mappings");
        else if (IdMaps.HostIdOf(uids, 0) is null) problems.Add("linux.uidMappings", "must map container uid 0: init becomes root in the new user namespace");
        if (gids.Count == 0) problems.Add("linux.gidMappings", "a new user namespace needs gid mappings");
        else if (IdMaps.HostIdOf(gids, 0) is null) problems.Add("linux.gidMappings", "must map container gid 0: init becomes root in the new user namespace");
        if (spec.Process?.User is { } who && uids.Count > 0 && gids.Count > 0)
        {
            if (IdMaps.HostIdOf(uids, who.Uid) is null) problems.Add("process.user.uid", $"{who.Uid} is not mapped by linux.uidMappings");
            if (IdMaps.HostIdOf(gids, who.Gid) is null) problems.Add("process.user.gid", $"{who.Gid} is not mapped by linux.gidMappings");
            var extra = who.AdditionalGids ?? [];
            for (var i = 0; i < extra.Count; i++)
                if (IdMaps.HostIdOf(gids, extra[i]) is null) problems.Add($"process.user.additionalGids[{i}]", $"{extra[i]} is not mapped by linux.gidMappings");
        }
    }

    private static void CheckShape(string where, List<IdMapping> mappings, ProblemList problems)
    {
        foreach (var (index, message) in IdMaps.Problems(mappings))
            problems.Add(index is { } i ? $"{where}[{i}]" : where, message);
    }
}
