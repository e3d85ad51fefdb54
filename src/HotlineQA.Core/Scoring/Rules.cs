using System.Globalization;
using HotlineQA.Common;
using YamlDotNet.RepresentationModel;

namespace HotlineQA.Scoring;

/// <summary>
/// A rule of the engine with its parameters bound and checked when the rubric loads: one type per rule, and
/// <see cref="RubricScorer"/> dispatches on the type. The parameters, their types, ranges and defaults are declared in
/// <see cref="RuleCatalog"/>; an unknown parameter, a wrong type or an impossible number is refused with file and line.
/// </summary>
public abstract record RubricRule
{
    /// <summary>The rule's name in the rubric file (<c>rule:</c>).</summary>
    public abstract string Name { get; }
}

public sealed record RequireRule(string FailReason) : RubricRule { public override string Name => "require"; }
public sealed record ForbidRule(string FailReason) : RubricRule { public override string Name => "forbid"; }
/// <summary>FOLLOW_UP: the agent commits to a follow-up with a time frame (<c>pass</c>), or the agent (<c>confirmed</c>) or the
/// customer after an agent turn (<c>solved</c>) confirms on the call that it is solved, and the customer does not say later
/// that it still is not (<c>unsolved</c>).</summary>
public sealed record FollowUpRule(string FailReason) : RubricRule { public override string Name => "follow_up"; }
/// <summary>A section-E signal fired by phrases; with <see cref="CustomerModel"/>, the evidence carries the customer
/// model's negativity of the turn, and a turn the model reads as satisfied (P ≥ <see cref="SatisfiedVeto"/>) blends
/// the phrase with that reading (classifierWeight), so it needs listening instead of flagging.</summary>
public sealed record SignalRule(string Reason, bool CustomerModel, double SatisfiedVeto) : RubricRule { public override string Name => "signal"; }
public sealed record OrderRule(string FailReason) : RubricRule { public override string Name => "order"; }
public sealed record GreetingRule(double WindowSec) : RubricRule { public override string Name => "greeting"; }
public sealed record ClosingRule(int LastTurns) : RubricRule { public override string Name => "closing"; }
public sealed record BlameRule : RubricRule { public override string Name => "blame"; }
public sealed record HoldRule(double MinSilenceSec, int LookBackTurns, int ThanksTurns) : RubricRule { public override string Name => "hold"; }
public sealed record InterruptionRule(double MinOverlapSec, int MaxCount) : RubricRule { public override string Name => "interruption"; }
public sealed record DeadAirRule(double MaxSilenceSec, double MaxRatio) : RubricRule { public override string Name => "dead_air"; }
public sealed record ClarifyRule : RubricRule { public override string Name => "clarify"; }
public sealed record ApologyRule(int HelpTurns) : RubricRule { public override string Name => "apology"; }
public sealed record EmotionFirstRule(string EmpathyItem, string ApologyItem, string SolutionItem) : RubricRule { public override string Name => "emotion_first"; }
public sealed record RefusalAlternativeRule(int NextTurns) : RubricRule { public override string Name => "refusal_alternative"; }
public sealed record SilentCallRule(double WindowSec, int MinPrompts, double MinGapSec) : RubricRule { public override string Name => "silent_call"; }
public sealed record PoorLineRule(int EndTurns) : RubricRule { public override string Name => "poor_line"; }
public sealed record HarassmentRule(int MinTurns, string SwearSeverity) : RubricRule { public override string Name => "harassment"; }
/// <summary>The customer's last turns are negative: by the phrases, or by the customer model's sentiment at or below
/// <see cref="ModelSentimentBelow"/> (−1 … 1; −1 disables the model's part).</summary>
/// <param name="HarassmentEnds">On a call where the harassment protocol applies, the caller's last words fire unless they
/// hold a phrase of the optional <c>calm</c> slot — thanks or an apology (rubric 2026.8).</param>
/// <param name="ModelEndingAbove">The ending model's probability that the customer leaves unhappy (read from the last words
/// and their context; <see cref="CustomerEnding"/>) at or above which the signal fires (rubric 2026.10); 1 switches it off.</param>
/// <param name="ModelEndingSureAbove">The probability at or above which the ending model's fire is a sure finding: its
/// confidence is at least the rubric's <c>confidenceThreshold</c> (times the role factor on mono calls), so it flags the
/// call. Below it the fire's confidence is the probability itself, and below the threshold it is "needs listening" —
/// listed for the reviewer, not flagged (rubric 2026.32; 1 = the probability is always the confidence).</param>
public sealed record NegativeEndRule(int LastTurns, int SkipShortChars, double ModelSentimentBelow, bool HarassmentEnds = false, double ModelEndingAbove = 1,
    double ModelEndingSureAbove = 1)
    : RubricRule { public override string Name => "negative_end"; }
public sealed record PerfunctoryApologyRule(string ApologyItem) : RubricRule { public override string Name => "perfunctory_apology"; }

/// <summary>One rule the rubric file may name: the phrase slots it needs and may use, and how its params are bound.</summary>
public sealed record RuleSpec(string Name, string[] Slots, string[] OptionalSlots, Func<RuleParams, RubricRule> Bind);

/// <summary>Every rule the engine knows.</summary>
public static class RuleCatalog
{
    public static readonly IReadOnlyDictionary<string, RuleSpec> Rules = new RuleSpec[]
    {
        new("require", ["pass"], ["applies"], p => new RequireRule(p.Text("failReason", "required phrase not found"))),
        new("forbid", ["fail"], [], p => new ForbidRule(p.Text("failReason", "forbidden wording"))),
        new("follow_up", ["pass"], ["confirmed", "solved", "unsolved", "checkAsked", "checked"], p => new FollowUpRule(p.Text("failReason", "no follow-up and no confirmation that it is solved"))),
        new("signal", ["fire"], [], p => new SignalRule(p.Text("reason", "signal phrase"), p.Flag("customerModel", false), p.Number("satisfiedVeto", 0.5, 0, 1))),
        new("order", ["first", "then"], [], p => new OrderRule(p.Text("failReason", "steps in the wrong order"))),
        new("greeting", ["hello", "offer"], ["bare"], p => new GreetingRule(p.Number("windowSec", 15, 0, 600))),
        new("closing", ["farewell"], [], p => new ClosingRule(p.Integer("lastTurns", 2, 1, 50))),
        new("blame", ["fail"], ["policy", "restated"], _ => new BlameRule()),
        new("hold", ["wait", "thanks"], [], p => new HoldRule(p.Number("minSilenceSec", 10, 0, 3600),
            p.Integer("lookBackTurns", 2, 1, 50), p.Integer("thanksTurns", 1, 1, 50))),
        new("interruption", [], [], p => new InterruptionRule(p.Number("minOverlapSec", 1, 0, 60), p.Integer("maxCount", 2, 0, 10_000))),
        new("dead_air", [], [], p => new DeadAirRule(p.Number("maxSilenceSec", 20, 0, 3600), p.Number("maxRatio", 0.25, 0, 1))),
        new("clarify", ["question", "issue"], ["restate", "confirm"], _ => new ClarifyRule()),
        new("apology", ["apology", "help", "excuse"], ["owned", "acknowledges", "refusal", "repeated"], p => new ApologyRule(p.Integer("helpTurns", 2, 0, 50))),
        new("emotion_first", [], [], p => new EmotionFirstRule(p.ItemRef("empathyItem", "EMPATHY"),
            p.ItemRef("apologyItem", "APOLOGY"), p.ItemRef("solutionItem", "SOLUTION"))),
        new("refusal_alternative", ["refusal", "alternative"], ["nextStep"], p => new RefusalAlternativeRule(p.Integer("nextTurns", 1, 0, 50))),
        new("silent_call", ["prompt", "closing", "rude"], [], p => new SilentCallRule(p.Number("windowSec", 15, 0, 600),
            p.Integer("minPrompts", 2, 0, 50), p.Number("minGapSec", 3, 0, 600))),
        new("poor_line", ["signal", "polite", "callback", "rude"], [], p => new PoorLineRule(p.Integer("endTurns", 2, 1, 50))),
        new("harassment", ["abuse", "warning", "swear"], ["named"], p => new HarassmentRule(p.Integer("minTurns", 2, 1, 1000),
            p.OneOf("swearSeverity", "critical", ["critical", "major", "minor"]))),
        new("negative_end", ["negative"], ["calm"], p => new NegativeEndRule(p.Integer("lastTurns", 1, 1, 50),
            p.Integer("skipShortChars", 0, 0, 100), p.Number("modelSentimentBelow", -1, -1, 1), p.Flag("harassmentEnds", false),
            p.Number("modelEndingAbove", 1, 0, 1), p.Number("modelEndingSureAbove", 1, 0, 1))),
        new("perfunctory_apology", [], [], p => new PerfunctoryApologyRule(p.ItemRef("apologyItem", "APOLOGY"))),
    }.ToDictionary(r => r.Name, StringComparer.Ordinal);
}

/// <summary>
/// An item's <c>params:</c> as a rule reads them: each read declares a parameter (name, type, range, default); a
/// parameter the rule never reads is unknown and refused. Errors name the file and the line of the offending value.
/// </summary>
public sealed class RuleParams
{
    private readonly string _source;
    private readonly string _item;
    private readonly string _rule;
    private readonly YamlMappingNode? _node;
    private readonly HashSet<string> _declared = new(StringComparer.Ordinal);
    private readonly List<(string Name, string Value, int Line)> _itemRefs = [];

    internal RuleParams(string source, string item, string rule, YamlMappingNode? node)
    {
        _source = source;
        _item = item;
        _rule = rule;
        _node = node;
    }

    /// <summary>Item ids named by <c>*Item</c> parameters the file set explicitly (checked once every item is read).</summary>
    internal IReadOnlyList<(string Name, string Value, int Line)> ItemRefs => _itemRefs;

    private BadInputException Error(YamlNode node, string message) =>
        new($"{_source}: line {node.Start.Line}: item {_item}: rule '{_rule}': {message}");

    private YamlNode? Get(string name)
    {
        _declared.Add(name);
        return _node is not null && _node.Children.TryGetValue(new YamlScalarNode(name), out var v) ? v : null;
    }

    private string ScalarOf(YamlNode node, string name, string expected) => node is YamlScalarNode { Value: { } s }
        ? s
        : throw Error(node, $"params.{name} must be {expected}, not a {(node is YamlSequenceNode ? "list" : "mapping")}");

    public double Number(string name, double fallback, double min, double max)
    {
        if (Get(name) is not { } node) return fallback;
        var s = ScalarOf(node, name, "a number");
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
            throw Error(node, $"params.{name} must be a number, found '{s}'");
        if (d < min || d > max) throw Error(node, $"params.{name} = {s} is impossible (allowed {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)})");
        return d;
    }

    public int Integer(string name, int fallback, int min, int max)
    {
        if (Get(name) is not { } node) return fallback;
        var s = ScalarOf(node, name, "a whole number");
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d) || d != Math.Floor(d))
            throw Error(node, $"params.{name} must be a whole number, found '{s}'");
        if (d < min || d > max) throw Error(node, $"params.{name} = {s} is impossible (allowed {min} to {max})");
        return (int)d;
    }

    public bool Flag(string name, bool fallback)
    {
        if (Get(name) is not { } node) return fallback;
        return ScalarOf(node, name, "true or false") switch
        {
            "true" or "yes" => true,
            "false" or "no" => false,
            var s => throw Error(node, $"params.{name} must be true or false, found '{s}'"),
        };
    }

    public string Text(string name, string fallback)
    {
        if (Get(name) is not { } node) return fallback;
        var s = ScalarOf(node, name, "text");
        return string.IsNullOrWhiteSpace(s) ? throw Error(node, $"params.{name} must not be empty") : s;
    }

    public string OneOf(string name, string fallback, string[] allowed)
    {
        if (Get(name) is not { } node) return fallback;
        var s = ScalarOf(node, name, "one of " + string.Join(", ", allowed));
        return allowed.Contains(s) ? s : throw Error(node, $"params.{name} must be one of {string.Join(", ", allowed)}, found '{s}'");
    }

    /// <summary>The id of another item of the rubric (checked to exist once all items are read).</summary>
    public string ItemRef(string name, string fallback)
    {
        if (Get(name) is not { } node) return fallback;
        var s = ScalarOf(node, name, "an item id");
        _itemRefs.Add((name, s, (int)node.Start.Line));
        return s;
    }

    /// <summary>Refuses any parameter the rule did not declare.</summary>
    internal void RefuseUnknown()
    {
        if (_node is null) return;
        foreach (var key in _node.Children.Keys)
        {
            var name = key is YamlScalarNode { Value: { } k } ? k : "";
            if (!_declared.Contains(name))
                throw Error(key, _declared.Count == 0
                    ? $"unknown parameter '{name}' (this rule takes no params)"
                    : $"unknown parameter '{name}' (known: {string.Join(", ", _declared.Order(StringComparer.Ordinal))})");
        }
    }
}
