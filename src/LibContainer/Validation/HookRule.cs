using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>hooks: each names an absolute path, and a timeout, when given, is a positive number of seconds.</summary>
internal sealed class HookRule : IRule
{
    public void Check(RuntimeSpec spec, ProblemList problems)
    {
        if (spec.Hooks is not { } hooks) return;
        CheckList(hooks.Prestart, "prestart", problems);
        CheckList(hooks.CreateRuntime, "createRuntime", problems);
        CheckList(hooks.CreateContainer, "createContainer", problems);
        CheckList(hooks.StartContainer, "startContainer", problems);
        CheckList(hooks.Poststart, "poststart", problems);
        CheckList(hooks.Poststop, "poststop", problems);
    }

    private static void CheckList(List<Hook>? list, string name, ProblemList problems)
    {
        for (var i = 0; i < (list?.Count ?? 0); i++)
        {
            var hook = list![i];
            if (string.IsNullOrEmpty(hook.Path) || !hook.Path.StartsWith('/'))
                problems.Add($"hooks.{name}[{i}].path", $"must be an absolute path, not {ValueText.Quoted(hook.Path)}");
            if (hook.Timeout is <= 0)
                problems.Add($"hooks.{name}[{i}].timeout", $"must be a positive number of seconds, not {hook.Timeout}");
        }
    }
}
