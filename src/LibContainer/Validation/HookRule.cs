using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>hooks: not run by this runtime yet, so any hook is refused (an empty list asks for nothing).</summary>
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
        if (list is { Count: > 0 }) problems.NotYet($"hooks.{name}");
    }
}
