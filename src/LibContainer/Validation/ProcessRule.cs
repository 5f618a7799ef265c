using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>The process to run: its program and directory, and no field this runtime cannot do.</summary>
internal sealed class ProcessRule : IRule
{
    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        if (spec.Process is not { } process)
        {
            problems.Add("process", "missing");
            return;
        }
        if (process.Args is not { Count: > 0 }) problems.Add("process.args", "must name the program to run");
        if (string.IsNullOrEmpty(process.Cwd) || !process.Cwd.StartsWith('/'))
            problems.Add("process.cwd", $"must be an absolute path, not {ValueText.Quoted(process.Cwd)}");
        if (process.CommandLine is not null) problems.Add("process.commandLine", "Windows only");
        if (!string.IsNullOrEmpty(process.User?.Username)) problems.Add("process.user.username", "Windows only");
        if (process.IoPriority is not null) problems.NotYet("process.ioPriority");
        if (process.Scheduler is not null) problems.NotYet("process.scheduler");
        if (process.ExecCpuAffinity is not null) problems.NotYet("process.execCPUAffinity");
    }
}
