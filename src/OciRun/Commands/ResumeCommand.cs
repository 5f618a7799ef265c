using OciRun.CommandLine;

namespace OciRun.Commands;

public static class ResumeCommand
{
    public static readonly Verb Verb = new("resume", "resumes all processes that have been previously paused", "<container-id>", [], 1, 1, call =>
    {
        call.Containers.Resume(call.Id);
        return 0;
    });
}
