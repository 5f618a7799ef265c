using LibContainer;
using LibContainer.Spec;
using OciRun.CommandLine;

namespace OciRun.Commands;

public static class SpecCommand
{
    public static readonly StringFlag Bundle = new("bundle", "path to the root of the bundle directory", Short: 'b', ValueName: "DIR", Default: ".");

    // After the flags it lists: static fields are set in the order they are written.
    public static readonly Verb Verb = new("spec", "create a new specification file (config.json)", "", [Bundle], 0, 0, call =>
        {
            var path = Path.Combine(call.Get(Bundle)!, "config.json");
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
                throw ContainerError.FromIo($"write {path}", e);
            }
            return 0;
        });
}
