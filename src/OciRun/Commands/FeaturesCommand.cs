using OciRun.CommandLine;

namespace OciRun.Commands;

public static class FeaturesCommand
{
    public static readonly Verb Verb = new("features", "show the enabled features (the runtime-spec features document)", "", [], 0, 0, _ =>
    {
        StandardOutput.Write(LibContainer.Features.Json() + "\n");
        return 0;
    });
}
