using LibContainer.Spec;

namespace LibContainer.Validation;

/// <summary>One check of config.json, run on the records the reader made.</summary>
internal interface IRule
{
    /// <summary>Adds a problem for each thing wrong in the fields this rule looks at.</summary>
    void Check(RuntimeSpec spec, ProblemList problems);
}
