using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>The problems the rules find, in the order they find them.</summary>
internal sealed class ProblemList
{
    private readonly List<SpecProblem> _found = [];

    public IReadOnlyList<SpecProblem> Found => _found;

    public void Add(string path, string message) => _found.Add(new SpecProblem(path, message));

    /// <summary>A field this runtime does not implement yet: an error naming it, so nothing is silently ignored.</summary>
    public void NotYet(string path) => Add(path, "not supported by oci-run yet");
}
