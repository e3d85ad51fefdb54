using System.Text.RegularExpressions;
using HotlineQA.Scoring.Text;

namespace HotlineQA.Scoring;

/// <summary>A loaded, compiled rubric: items with their matchers, settings and the phrase index they share.</summary>
public sealed class Rubric
{
    public required string Version { get; init; }
    public required string Source { get; init; }
    public required RubricSettings Settings { get; init; }
    public required IReadOnlyDictionary<string, double> Weights { get; init; }
    public required IReadOnlyList<RubricItem> Items { get; init; }
    /// <summary>The file's <c>labels:</c>: names people see for results, severities and flag reasons.</summary>
    public IReadOnlyDictionary<string, DisplayName> Labels { get; init; } = new Dictionary<string, DisplayName>();
    public required Matcher ComplaintStrong { get; init; }
    public required Matcher ComplaintWeak { get; init; }
    /// <summary>Optional <c>complaint.acknowledged</c>: agent wording that treats the customer's opening account as a
    /// fault that cost them something (让您白跑一趟, 确实太耽误您了) — with an opening the model reads as a grievance, a
    /// complaint call (rubric 2026.9). Null when the file has none.</summary>
    public Matcher? ComplaintAcknowledged { get; init; }
    /// <summary>Optional <c>complaint.admitted</c>: the agent owns the fault in so many words (这是我们的问题 / 是我们的失误)
    /// after the customer has said something — a complaint call whatever the models read (rubric 2026.33). Null when the
    /// file has none.</summary>
    public Matcher? ComplaintAdmitted { get; init; }
    /// <summary>Optional <c>complaint.heard</c>: the agent names the customer's dissatisfaction (换作是我也会很失望 / 听得出来您很生气)
    /// after the customer has said something — a complaint call whatever the models read, as <see cref="ComplaintAdmitted"/>
    /// (rubric 2026.38). Null when the file has none.</summary>
    public Matcher? ComplaintHeard { get; init; }
    public required Matcher AgentOpening { get; init; }
    internal TextFolder Folder { get; init; } = null!;
    internal PhraseIndex Index { get; init; } = null!;
    internal int MatcherCount { get; init; }
    /// <summary>Distinct compiled patterns; <see cref="Pattern.Id"/> runs from 0 to this.</summary>
    internal int PatternCount { get; init; }
    /// <summary>Number of phrase literals after expansion (for the benchmark's "10× phrases").</summary>
    public int PieceCount => Index.PieceCount;

    public RubricItem? Item(string id) => Items.FirstOrDefault(i => i.Id == id);

    /// <summary>
    /// The name people see for a code: an item id (its <c>name</c>), a result, a severity or a flag reason (from
    /// <c>labels:</c>; <c>SCORE_BELOW_n</c> for any n). An unknown code is its own name.
    /// </summary>
    public DisplayName NameOf(string code)
    {
        if (Item(code) is { } item) return new DisplayName(item.Name, item.NameEn);
        if (Labels.TryGetValue(code, out var label)) return label;
        if (code.StartsWith("SCORE_BELOW_", StringComparison.Ordinal) && Labels.TryGetValue("SCORE_BELOW_70", out var below))
        {
            var n = code["SCORE_BELOW_".Length..];
            return new DisplayName(below.Zh.Replace("70", n, StringComparison.Ordinal), below.En.Replace("70", n, StringComparison.Ordinal));
        }
        return new DisplayName(code, code);
    }
}

/// <summary>A name shown to people: Chinese first, English beside it or on hover.</summary>
public sealed record DisplayName(string Zh, string En);

/// <summary>The rubric file's <c>settings:</c>; every number the rules use lives here or in an item's <c>params</c>.</summary>
public sealed record RubricSettings
{
    public double ConfidenceThreshold { get; init; } = 0.6;
    public int GapChars { get; init; } = 10;
    public int FuzzyMinLength { get; init; } = 5;
    /// <summary>Literals shorter than this match their exact characters only: a lone character's homophones are mostly
    /// other words (税 for 睡, 建 for 贱), not ASR slips.</summary>
    public int HomophoneMinLength { get; init; } = 2;
    public bool TonelessHomophones { get; init; }
    public double ExactConfidence { get; init; } = 0.95;
    public double HomophoneConfidence { get; init; } = 0.85;
    public double FuzzyConfidence { get; init; } = 0.7;
    public double RegexConfidence { get; init; } = 0.9;
    public double AbsenceConfidence { get; init; } = 0.85;
    public double TimelineConfidence { get; init; } = 0.95;
    public double TranscriptTimingConfidence { get; init; } = 0.85;
    public double MonoFactor { get; init; } = 0.9;
    public double InferredRoleFactor { get; init; } = 0.8;
    public double PerfunctoryThreshold { get; init; } = 0.5;
    public double ClassifierOnlyThreshold { get; init; } = 0.9;
    public double ClassifierWeight { get; init; } = 0.5;
    public double FlagBelow { get; init; } = 70;
    public double CriticalCap { get; init; } = 59;
    public int ComplaintWeakTurns { get; init; } = 2;
    /// <summary>A customer turn whose complaint probability (customer model) reaches this is complaint evidence.</summary>
    public double ComplaintModelThreshold { get; init; } = 0.95;
    /// <summary>The call is a complaint call by the model alone when this many customer turns reach the threshold.</summary>
    public int ComplaintModelTurns { get; init; } = 1;
    /// <summary>With a weak phrase in the same turn, this lower complaint probability is enough (phrase and model agree).</summary>
    public double ComplaintModelWithPhrase { get; init; } = 0.6;
    /// <summary>A customer turn with complaint + dissatisfaction at least this is unhappy ...</summary>
    public double ComplaintUnhappyLevel { get; init; } = 0.7;
    /// <summary>... and this many unhappy customer turns make a complaint call (a grievance told over several turns).</summary>
    public int ComplaintUnhappyTurns { get; init; } = 3;
    /// <summary>The customer's first this-many turns that say something are read by the customer model together, as one
    /// account of what happened (0 = off): a situation and its cost told over two turns reads as one grievance.</summary>
    public int ComplaintOpeningTurns { get; init; }
    /// <summary>The opening read together is a complaint when its complaint + dissatisfaction reaches this.</summary>
    public double ComplaintOpeningLevel { get; init; } = 0.6;
    /// <summary>The customer's first turn that says something reads as a grievance when its complaint probability reaches
    /// this ... (issue 13, c13: an opening account borne out by a later unhappy turn).</summary>
    public double ComplaintOpeningGrievance { get; init; } = 0.5;
    /// <summary>... and the call is a complaint call when a later customer turn that says something reaches this
    /// complaint + dissatisfaction (the customer presses the grievance they told); 1 switches the rule off.</summary>
    public double ComplaintLaterUnhappy { get; init; } = 0.9;
    /// <summary>The call is also a complaint call when the customer's first turn that says something reads as a grievance
    /// (complaintApologyOpening) and a later agent turn with an apology word of the APOLOGY item reads as a sincere apology
    /// for a fault: the agent classifier's P(sincere_apology) at or above this (rubric 2026.5, issue 13 g13: an opening
    /// grievance acknowledged). 1 switches the rule off; without the agent classifier it does not apply.</summary>
    public double ComplaintAgentApology { get; init; } = 0.95;
    /// <summary>... for that rule the opening reads as a grievance when its complaint probability reaches this.</summary>
    public double ComplaintApologyOpening { get; init; } = 0.6;
    /// <summary>The call is also a complaint call when the ending model reads the customer as leaving it unhappy — its
    /// P(the customer leaves unhappy) at or above this — on a call that is not a harassment, poor-line or silent call
    /// (rubric 2026.15, issue 13: a customer who leaves unhappy has expressed dissatisfaction, RUBRIC.md's complaint call,
    /// even when they never said so in a complaint's words). 1 switches the rule off; without the ending model it does not apply.</summary>
    public double ComplaintUnhappyEnding { get; init; } = 1;
    /// <summary>The call is also a complaint call when the customer's first turn that says something reads as a grievance at
    /// P(complaint) at or above this and the agent later blames someone for it (BLAME_SHIFTING fails by a rule's wording):
    /// rubric 2026.22. 1 switches the rule off.</summary>
    public double ComplaintBlameOpening { get; init; } = 1;
    /// <summary>The call is also a complaint call when the call-complaint model, reading everything the customer says,
    /// gives P(complaint call) at or above this, on a call no other path has made one and that is not a poor-line call
    /// (rubric 2026.29, issue 13: a grievance told calmly as a story, none of whose turns reads as a complaint on its
    /// own). 1 switches the rule off; without the call-complaint model it does not apply.</summary>
    public double ComplaintCallModel { get; init; } = 1;
    /// <summary>The complaint paths that add up turns none of which reads as a complaint on its own (complaintUnhappyTurns
    /// unhappy turns; an opening borne out by a later unhappy turn) need the call-complaint model's P(complaint call) at or
    /// above this (rubric 2026.29). 0 switches the check off; without the call-complaint model it does not apply.</summary>
    public double ComplaintCallVeto { get; init; }
    /// <summary>Complaint phrases (strong, or weak in complaintWeakTurns turns) make a complaint call only when the
    /// call-complaint model's P(complaint call) is at or above this (rubric 2026.29): a marker heard in a call that reads
    /// as clearly no complaint (好多次 of a game played many times) is not enough alone. 0 switches the check off; without
    /// the call-complaint model it does not apply (on a poor line it does).</summary>
    public double ComplaintPhraseVeto { get; init; }
}

public sealed class RubricItem
{
    public required string Id { get; init; }
    public required char Section { get; init; }
    public required string Severity { get; init; }
    /// <summary>The item's rule with its parameters bound and checked at load (one type per rule).</summary>
    public required RubricRule Rule { get; init; }
    public bool ComplaintOnly { get; init; }
    public string? Description { get; init; }
    /// <summary>The Chinese name people see (RUBRIC.md "Names shown to people"); the id when the file gives none.</summary>
    public string Name { get; init; } = "";
    /// <summary>The English name, shown beside or on hover; the id when the file gives none.</summary>
    public string NameEn { get; init; } = "";
    /// <summary>Other words people search by (道歉 for 真诚致歉): the coach library and triage find the item by them too.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public required IReadOnlyDictionary<string, Matcher> Match { get; init; }
    public int Line { get; init; }

    public bool IsSignal => Section == 'E';

    public Matcher? Slot(string name) => Match.GetValueOrDefault(name);
}

/// <summary>
/// A phrase condition on utterances: <c>any</c> of its patterns (or <c>all</c> of them) in one utterance, with
/// <c>none</c> of the vetoes in that utterance, said by <c>speaker</c>, optionally only in the first N seconds or
/// the speaker's last N turns.
/// </summary>
public sealed class Matcher
{
    public int Id { get; init; }
    public IReadOnlyList<Pattern> Any { get; init; } = [];
    public IReadOnlyList<Pattern> All { get; init; } = [];
    public IReadOnlyList<Pattern> None { get; init; } = [];
    public string Speaker { get; init; } = "any";
    public double? FirstSec { get; init; }
    public int? LastTurns { get; init; }
    public int MinCount { get; init; } = 1;
    public int Line { get; init; }
    public bool IsEmpty => Any.Count == 0 && All.Count == 0;
}

/// <summary>One phrase: literal segments (each a set of expanded alternatives) joined by gaps, or a regular expression.</summary>
public sealed class Pattern
{
    public required string Source { get; init; }
    /// <summary>Index among the rubric's distinct patterns (per-call caches are arrays indexed by it).</summary>
    public int Id { get; internal set; }
    public IReadOnlyList<int[]> Segments { get; init; } = [];
    public IReadOnlyList<int> Gaps { get; init; } = [];
    public Regex? Regex { get; init; }
}
