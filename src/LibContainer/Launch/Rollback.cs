namespace LibContainer.Launch;

/// <summary>
/// What a failed create must undo: each resource's undo is pushed as the
/// resource is made, and disposing runs them newest first unless the create
/// was committed. An undo that fails does not stop the others: the error that
/// caused the rollback is the one to report, and the rest still needs undoing.
/// </summary>
internal sealed class Rollback : IDisposable
{
    private readonly List<Action> _undo = new(6);
    private bool _committed;

    public void Push(Action undo) => _undo.Add(undo);

    /// <summary>Everything made is kept: from here on, disposing undoes nothing.</summary>
    public void Commit() => _committed = true;

    public void Dispose()
    {
        if (_committed) return;
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            try
            {
                _undo[i]();
            }
            catch (ContainerError)
            {
                // The original error matters more.
            }
        }
        _undo.Clear();
    }
}
