using LibContainer.Spec;

namespace LibContainer.UserNamespace;

/// <summary>
/// The container's user namespace, decided from the spec: none, a new one
/// (the parent writes its maps, as runc does for root), or one joined by path.
/// UidMap and GidMap are the map text to write; null for a joined namespace,
/// whose maps were written by whoever made it.
/// </summary>
public sealed record UserNamespacePlan(bool Create, string? JoinPath, string? UidMap, string? GidMap)
{
    public static readonly UserNamespacePlan None = new(false, null, null, null);

    /// <summary>Init runs in a user namespace other than the runtime's.</summary>
    public bool InUserNamespace => Create || JoinPath is not null;

    public static UserNamespacePlan For(RuntimeSpec spec)
    {
        var user = (spec.Linux?.Namespaces ?? []).Find(n => n.Type == "user");
        if (user is null) return None;
        if (!string.IsNullOrEmpty(user.Path)) return new(false, user.Path, null, null);
        return new(true, null, IdMaps.Text(spec.Linux!.UidMappings ?? []), IdMaps.Text(spec.Linux.GidMappings ?? []));
    }
}
