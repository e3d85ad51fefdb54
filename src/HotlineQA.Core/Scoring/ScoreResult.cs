namespace HotlineQA.Scoring;

/// <summary>Score JSON of CONTRACTS.md §2.</summary>
public sealed record ScoreResult
{
    public string CallId { get; init; } = "";
    public string RubricVersion { get; init; } = "";
    public double Score { get; init; }
    public bool Flagged { get; init; }
    public IReadOnlyList<string> FlagReasons { get; init; } = [];
    public bool IsComplaint { get; init; }
    public IReadOnlyList<Finding> Findings { get; init; } = [];
}

public sealed record Finding
{
    public string Item { get; init; } = "";
    /// <summary><c>pass</c>, <c>fail</c>, <c>na</c>, or <c>fire</c> for section-E signals.</summary>
    public string Result { get; init; } = "";
    public string Severity { get; init; } = "";
    public double Confidence { get; init; }
    public string? Reason { get; init; }
    /// <summary>True when the confidence is below the rubric's threshold: shown as "needs listening", does not move the score alone.</summary>
    public bool? NeedsListening { get; init; }
    public IReadOnlyList<Evidence> Evidence { get; init; } = [];
}

public sealed record Evidence
{
    public int Utterance { get; init; }
    public string Speaker { get; init; } = "";
    public double Start { get; init; }
    public double End { get; init; }
    public string Text { get; init; } = "";
}

public static class Results
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string Na = "na";
    public const string Fire = "fire";
}
