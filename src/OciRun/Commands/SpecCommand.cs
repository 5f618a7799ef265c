using System.CommandLine;
using LibContainer;
using LibContainer.Spec;

namespace OciRun.Commands;

public static class SpecCommand
{
    public static Command Build(CommandContext context)
    {
        var command = new Command("spec", "create a new specification file (config.json)");
        var bundle = new Option<string>("--bundle", "-b") { Description = "path to the root of the bundle directory", DefaultValueFactory = _ => "." };
        command.Options.Add(bundle);
        command.SetAction(result => context.Run(result, _ =>
        {
            var path = Path.Combine(result.GetValue(bundle)!, "config.json");
            try
            {
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                file.Write(System.Text.Encoding.UTF8.GetBytes(DefaultSpec.Json + "\n"));
            }
            catch (IOException) when (File.Exists(path))
            {
                throw new ContainerError($"File {path} exists. Remove it first");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ContainerError($"write {path}: {e.Message}");
            }
            return 0;
        }));
        return command;
    }
}
