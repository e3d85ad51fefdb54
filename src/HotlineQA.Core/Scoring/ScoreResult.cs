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
    /// <summary>The customer's state over the call (CONTRACTS §2, added 2026-12); null only before the customer model ran.</summary>
    public CustomerSentiment? CustomerSentiment { get; init; }
    /// <summary>The customer turns that make this a complaint call, each with the customer model's complaint
    /// probability when the model ran (added field; empty when the call is not a complaint call).</summary>
    public IReadOnlyList<Evidence> ComplaintEvidence { get; init; } = [];
    public IReadOnlyList<Finding> Findings { get; init; } = [];
}

/// <summary>
/// Customer sentiment of one call, each value in [−1, 1] (−1 = very unhappy, 1 = very satisfied): <see cref="Overall"/>
/// for the call, <see cref="Start"/>/<see cref="End"/> for its first and last customer turns that say something,
/// <see cref="Trend"/> one of <see cref="Trends"/>; <see cref="Turns"/> per customer turn (an added field).
/// </summary>
public sealed record CustomerSentiment
{
    public double Overall { get; init; }
    public double Start { get; init; }
    public double End { get; init; }
    /// <summary><c>better</c>, <c>same</c> or <c>worse</c>.</summary>
    public string Trend { get; init; } = Trends.Same;
    public IReadOnlyList<TurnSentiment> Turns { get; init; } = [];

    public static class Trends
    {
        public const string Better = "better";
        public const string Same = "same";
        public const string Worse = "worse";
    }
}

/// <summary>One customer turn's sentiment in [−1, 1]: utterance index and times as in <see cref="Evidence"/>.</summary>
public sealed record TurnSentiment
{
    public int Utterance { get; init; }
    public double Start { get; init; }
    public double End { get; init; }
    public double Score { get; init; }
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
    /// <summary>For customer turns read by the customer model: the probability behind the finding (complaint for
    /// complaint evidence, dissatisfaction for a negative end); absent otherwise (added field).</summary>
    public double? Probability { get; init; }
}

public static class Results
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string Na = "na";
    public const string Fire = "fire";
}
