using LibContainer;
using LibContainer.Spec;
using OciRun.CommandLine;

namespace OciRun.Commands;

public static class SpecCommand
{
    public static readonly Verb Verb = new("spec", "create a new specification file (config.json)", "",
        [new("bundle", "path to the root of the bundle directory", Short: 'b', ValueName: "DIR", Default: ".")], 0, 0, call =>
        {
            var path = Path.Combine(call.Arguments.Value("bundle")!, "config.json");
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
