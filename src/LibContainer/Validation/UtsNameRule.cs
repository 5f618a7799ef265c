using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>hostname and domainname fit the kernel's limit.</summary>
internal sealed class UtsNameRule : IRule
{
    // The kernel's limit (__NEW_UTS_LEN): past it sethostname fails with a bare "Invalid argument".
    private const int MaxUtsName = 64;

    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        if (spec.Hostname is { } host && System.Text.Encoding.UTF8.GetByteCount(host) > MaxUtsName)
            problems.Add("hostname", $"{ValueText.Quoted(host)} is longer than {MaxUtsName} bytes, the kernel's limit");
        if (spec.Domainname is { } domain && System.Text.Encoding.UTF8.GetByteCount(domain) > MaxUtsName)
            problems.Add("domainname", $"{ValueText.Quoted(domain)} is longer than {MaxUtsName} bytes, the kernel's limit");
    }
}
