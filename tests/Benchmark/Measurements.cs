namespace OciRun.Benchmark;

/// <summary>Samples of each figure, in the order figures were first seen.</summary>
public sealed class Measurements
{
    private readonly Dictionary<string, List<double>> _samples = [];
    public List<string> Figures { get; } = [];

    public void Add(string figure, double value)
    {
        if (!_samples.TryGetValue(figure, out var list))
        {
            _samples[figure] = list = [];
            Figures.Add(figure);
        }
        list.Add(value);
    }

    public double? Median(string figure)
    {
        if (!_samples.TryGetValue(figure, out var list) || list.Count == 0) return null;
        var sorted = list.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
