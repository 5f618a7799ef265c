using LibContainer.Processes;

namespace OciRun;

public static class Program
{
    public static int Main(string[] args)
    {
        // `oci-run init` is the container's first process: it skips the CLI entirely.
        if (args is ["init"]) return ContainerInit.Run();
        return Cli.Run(args);
    }
}
