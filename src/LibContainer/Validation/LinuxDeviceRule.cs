using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>linux.devices: a device type mknod knows, at an absolute path.</summary>
internal sealed class LinuxDeviceRule : IRule
{
    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        var devices = spec.Linux?.Devices ?? [];
        for (var i = 0; i < devices.Count; i++)
        {
            var d = devices[i];
            var where = $"linux.devices[{i}]";
            if (d.Type is not ("c" or "b" or "u" or "p")) problems.Add($"{where}.type", $"must be c, b, u or p, not {ValueText.Quoted(d.Type)}");
            if (string.IsNullOrEmpty(d.Path) || !d.Path.StartsWith('/')) problems.Add($"{where}.path", "must be an absolute path");
        }
    }
}
