using System.Globalization;
using LibContainer.Spec;

namespace LibContainer.Cgroups.Limits;

/// <summary>linux.resources.hugepageLimits: one limit per page size the host has ("2MB", "1GB").</summary>
internal static class HugepageLimits
{
    public static void Plan(List<HugepageLimit> limits, CgroupFacts host, List<CgroupWrite> writes)
    {
        for (var i = 0; i < limits.Count; i++)
        {
            var field = $"linux.resources.hugepageLimits[{i}]";
            var size = limits[i].PageSize ?? "";
            // A page size is also part of a file name: nothing that could leave the directory.
            if (size.Length == 0 || size.Contains('/') || size.Contains(".."))
                throw new ContainerError($"{field}.pageSize: \"{size}\" is not a page size such as 2MB or 1GB");
            var file = host.Require("hugetlb", field) == CgroupVersion.V1 ? $"hugetlb.{size}.limit_in_bytes" : $"hugetlb.{size}.max";
            if (!host.Has("hugetlb", file))
                throw new ContainerError($"{field}.pageSize: this host has no {size} huge pages (no {file})");
            writes.Add(new("hugetlb", file, limits[i].Limit.ToString(CultureInfo.InvariantCulture), $"{field}.limit"));
        }
    }
}
