using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using HotlineQA.Common;
using HotlineQA.Scoring.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HotlineQA.Scoring;

/// <summary>
/// Reads a rubric YAML file (format in docs/rubric-authoring.md) into a compiled <see cref="Rubric"/>. Any mistake is a
/// <see cref="BadInputException"/> naming the file and the line.
/// </summary>
public static class RubricLoader
{
    public const string DefaultResource = "HotlineQA.Scoring.Rubrics.default.yaml";

    /// <summary>How long one regex match may run before the phrase counts as not found: long enough that a loaded
    /// machine or a very long call never loses a real match (200 ms did, under load), short enough to stop a
    /// pathological expression in a hand-edited rubric.</summary>
    internal static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The rules the engine knows, and the phrase slots each one needs (the full declarations are in <see cref="RuleCatalog"/>).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Rules =
        RuleCatalog.Rules.ToDictionary(r => r.Key, r => r.Value.Slots, StringComparer.Ordinal);

    private static readonly string[] Severities = ["critical", "major", "minor", "signal"];

    public static Rubric LoadDefault(PinyinTable? pinyin = null) => Parse(DefaultYaml(), "default.yaml (built-in)", pinyin);

    /// <summary>The text of the built-in rubric (default.yaml), for a variant of it: a site's copy, a bench's sweep.</summary>
    public static string DefaultYaml()
    {
        using var s = typeof(RubricLoader).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"embedded rubric {DefaultResource} is missing");
        using var r = new StreamReader(s, Encoding.UTF8);
        return r.ReadToEnd();
    }

    public static Rubric LoadFile(string path, PinyinTable? pinyin = null)
    {
        string text;
        try { text = File.ReadAllText(path, Encoding.UTF8); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new BadInputException($"{path}: cannot read the rubric ({e.Message})", e); }
        return Parse(text, path, pinyin);
    }

    public static Rubric Parse(string yaml, string source, PinyinTable? pinyin = null)
    {
        var stream = new YamlStream();
        var parser = new TrackingParser(new Parser(new StringReader(yaml)));
        try { stream.Load(parser); }
        catch (YamlException e)
        {
            throw new BadInputException($"{source}: line {Math.Max(e.Start.Line, 1)}: not valid YAML ({FirstLine(e.Message)})", e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner throws these on some malformed input (an unclosed flow mapping before a plain scalar):
            // name the line the parser had reached, never a stack trace.
            throw new BadInputException($"{source}: line {parser.Line}: not valid YAML (the text after this line cannot be read; check for an unclosed '{{', '[' or quote)", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new BadInputException($"{source}: line 1: the rubric must be a YAML mapping (version, settings, phrases, items)");
        return new Builder(source, pinyin ?? PinyinTable.Load()).Build(root);
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();

    /// <summary>Remembers where the parser got to, for errors the YAML library reports without a position.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public long Line { get; private set; } = 1;
        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } c) Line = Math.Max(Line, c.End.Line);
            return moved;
        }
    }

    private sealed class Builder(string source, PinyinTable pinyin)
    {
        private readonly Dictionary<string, YamlSequenceNode> _families = new(StringComparer.Ordinal);
        private TextFolder _folder = null!;
        private PhraseIndex _index = null!;
        private RubricSettings _settings = new();
        private int _matchers;
        private readonly List<(string Item, RuleParams Params)> _itemRefs = [];

        private BadInputException Error(YamlNode node, string message) =>
            new($"{source}: line {node.Start.Line}: {message}");

        public Rubric Build(YamlMappingNode root)
        {
            foreach (var key in root.Children.Keys)
                if (Scalar(key) is not ("version" or "settings" or "weights" or "equivalents" or "phrases" or "complaint" or "roles" or "labels" or "items"))
                    throw Error(key, $"unknown top-level key '{Scalar(key)}' (expected version, settings, weights, equivalents, phrases, complaint, roles, labels, items)");
            var versionNode = Get(root, "version") ?? throw Error(root, "'version' is missing");
            var version = Scalar(versionNode);
            if (string.IsNullOrWhiteSpace(version)) throw Error(versionNode, "'version' must be a non-empty string such as \"2026.1\"");

            if (Get(root, "settings") is { } settingsNode) _settings = ReadSettings(settingsNode);
            var weights = new Dictionary<string, double> { ["critical"] = 0, ["major"] = 3, ["minor"] = 1 };
            if (Get(root, "weights") is YamlMappingNode wn)
                foreach (var (k, v) in wn.Children)
                {
                    if (!Severities.Contains(Scalar(k))) throw Error(k, $"unknown severity '{Scalar(k)}' in weights");
                    weights[Scalar(k)] = Number(v, 0, 1000, $"weights.{Scalar(k)}");
                }

            var equivalents = new List<string>();
            if (Get(root, "equivalents") is { } eq)
                foreach (var e in AsSequence(eq, "equivalents")) equivalents.Add(Scalar(e));
            _folder = new TextFolder(pinyin, equivalents, _settings.TonelessHomophones);
            _index = new PhraseIndex(_folder,
                new MatchConfidence(_settings.ExactConfidence, _settings.HomophoneConfidence, _settings.FuzzyConfidence, _settings.RegexConfidence),
                _settings.FuzzyMinLength, _settings.HomophoneMinLength);

            if (Get(root, "phrases") is { } pn)
            {
                if (pn is not YamlMappingNode pm) throw Error(pn, "'phrases' must map family names to lists of phrases");
                foreach (var (k, v) in pm.Children)
                {
                    if (v is not YamlSequenceNode seq) throw Error(v, $"phrase family '{Scalar(k)}' must be a list");
                    if (!_families.TryAdd(Scalar(k), seq)) throw Error(k, $"phrase family '{Scalar(k)}' is defined twice");
                }
            }

            var complaint = Get(root, "complaint") as YamlMappingNode ?? throw Error(root, "'complaint' (strong, weak) is missing");
            var strong = ReadMatcher(Get(complaint, "strong") ?? throw Error(complaint, "complaint.strong is missing"), "customer");
            var weak = ReadMatcher(Get(complaint, "weak") ?? throw Error(complaint, "complaint.weak is missing"), "customer");
            foreach (var key in complaint.Children.Keys)
                if (Scalar(key) is not ("strong" or "weak" or "acknowledged" or "admitted" or "heard"))
                    throw Error(key, $"unknown complaint key '{Scalar(key)}' (expected strong, weak, acknowledged, admitted, heard)");
            var acknowledged = Get(complaint, "acknowledged") is { } an ? ReadMatcher(an, "agent") : null;
            var admitted = Get(complaint, "admitted") is { } ad ? ReadMatcher(ad, "agent") : null;
            var heard = Get(complaint, "heard") is { } hd ? ReadMatcher(hd, "agent") : null;
            var roles = Get(root, "roles") as YamlMappingNode ?? throw Error(root, "'roles' (agentOpening) is missing");
            var opening = ReadMatcher(Get(roles, "agentOpening") ?? throw Error(roles, "roles.agentOpening is missing"), "any");

            var itemsNode = Get(root, "items") ?? throw Error(root, "'items' is missing");
            var items = new List<RubricItem>();
            foreach (var n in AsSequence(itemsNode, "items"))
            {
                var item = ReadItem(n);
                if (items.Any(i => i.Id == item.Id)) throw Error(n, $"item '{item.Id}' is defined twice");
                items.Add(item);
            }
            foreach (var (itemId, p) in _itemRefs)
                foreach (var (name, value, line) in p.ItemRefs)
                    if (items.All(i => i.Id != value))
                        throw new BadInputException($"{source}: line {line}: item {itemId}: params.{name} names '{value}', which is not an item of this rubric");
            _index.Build();
            var labels = Get(root, "labels") is { } ln ? ReadLabels(ln) : new Dictionary<string, DisplayName>(StringComparer.Ordinal);
            return new Rubric
            {
                Version = version, Source = source, Settings = _settings, Weights = weights, Items = items, Labels = labels,
                ComplaintStrong = strong, ComplaintWeak = weak, ComplaintAcknowledged = acknowledged, ComplaintAdmitted = admitted, ComplaintHeard = heard, AgentOpening = opening,
                Folder = _folder, Index = _index, MatcherCount = _matchers, PatternCount = _compiled.Count,
            };
        }

        private Dictionary<string, DisplayName> ReadLabels(YamlNode node)
        {
            if (node is not YamlMappingNode m) throw Error(node, "'labels' must map a code (pass, fail, na, fire, a severity, a flag reason) to { zh: …, en: … }");
            var labels = new Dictionary<string, DisplayName>(StringComparer.Ordinal);
            foreach (var (k, v) in m.Children)
            {
                if (v is not YamlMappingNode lm) throw Error(v, $"label '{Scalar(k)}' must be a mapping {{ zh: …, en: … }}");
                foreach (var key in lm.Children.Keys)
                    if (Scalar(key) is not ("zh" or "en")) throw Error(key, $"label '{Scalar(k)}': unknown key '{Scalar(key)}' (expected zh, en)");
                var zh = Get(lm, "zh") is { } z ? Scalar(z) : "";
                if (string.IsNullOrWhiteSpace(zh)) throw Error(v, $"label '{Scalar(k)}' needs a non-empty zh name");
                labels[Scalar(k)] = new DisplayName(zh, Get(lm, "en") is { } e ? Scalar(e) : Scalar(k));
            }
            return labels;
        }

        private RubricSettings ReadSettings(YamlNode node)
        {
            if (node is not YamlMappingNode m) throw Error(node, "'settings' must be a mapping");
            var s = new RubricSettings();
            var props = typeof(RubricSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .ToDictionary(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]);
            foreach (var (k, v) in m.Children)
            {
                if (!props.TryGetValue(Scalar(k), out var prop)) throw Error(k, $"unknown setting '{Scalar(k)}'");
                object value;
                if (prop.PropertyType == typeof(bool)) value = Bool(v);
                else
                {
                    var (min, max) = SettingRange(prop.Name);
                    var d = Number(v, min, max, $"settings.{Scalar(k)}");
                    if (prop.PropertyType == typeof(int))
                    {
                        if (d != Math.Floor(d)) throw Error(v, $"settings.{Scalar(k)} must be a whole number, found '{Scalar(v)}'");
                        value = (int)d;
                    }
                    else value = d;
                }
                prop.SetValue(s, value);
            }
            return s;
        }

        /// <summary>The possible values of each numeric setting: confidences, factors and probabilities are 0–1.</summary>
        private static (double Min, double Max) SettingRange(string name) => name switch
        {
            nameof(RubricSettings.GapChars) => (0, 200),
            nameof(RubricSettings.FuzzyMinLength) => (3, 100),
            nameof(RubricSettings.HomophoneMinLength) => (1, 100),
            nameof(RubricSettings.FlagBelow) or nameof(RubricSettings.CriticalCap) => (0, 100),
            nameof(RubricSettings.ComplaintWeakTurns) => (1, 1000),
            nameof(RubricSettings.ComplaintModelTurns) or nameof(RubricSettings.ComplaintUnhappyTurns) => (1, 1000),
            nameof(RubricSettings.ComplaintOpeningTurns) => (0, 20),
            _ => (0, 1),
        };

        private RubricItem ReadItem(YamlNode node)
        {
            if (node is not YamlMappingNode m) throw Error(node, "each item must be a mapping (id, section, severity, rule, match)");
            foreach (var key in m.Children.Keys)
                if (Scalar(key) is not ("id" or "name" or "nameEn" or "aliases" or "section" or "severity" or "rule" or "complaintOnly" or "description" or "params" or "match"))
                    throw Error(key, $"unknown item key '{Scalar(key)}'");
            var idNode = Get(m, "id") ?? throw Error(m, "item without 'id'");
            var id = Scalar(idNode);
            if (!Regex.IsMatch(id, "^[A-Z][A-Z0-9_]*$")) throw Error(idNode, $"item id '{id}' must be UPPER_SNAKE_CASE");
            var sectionNode = Get(m, "section") ?? throw Error(m, $"item {id}: 'section' is missing");
            var section = Scalar(sectionNode);
            if (section is not ("A" or "B" or "C" or "D" or "E")) throw Error(sectionNode, $"item {id}: section must be A, B, C, D or E");
            var sevNode = Get(m, "severity") ?? throw Error(m, $"item {id}: 'severity' is missing");
            var severity = Scalar(sevNode);
            if (!Severities.Contains(severity)) throw Error(sevNode, $"item {id}: severity must be critical, major, minor or signal");
            if ((section == "E") != (severity == "signal")) throw Error(sevNode, $"item {id}: section E items have severity 'signal', and only they do");
            var ruleNode = Get(m, "rule") ?? throw Error(m, $"item {id}: 'rule' is missing");
            var rule = Scalar(ruleNode);
            if (!RuleCatalog.Rules.TryGetValue(rule, out var spec))
                throw Error(ruleNode, $"item {id}: unknown rule '{rule}' (known: {string.Join(", ", RuleCatalog.Rules.Keys)})");
            YamlMappingNode? paramsNode = null;
            if (Get(m, "params") is { } pn)
                paramsNode = pn as YamlMappingNode ?? throw Error(pn, $"item {id}: 'params' must be a mapping");
            var ruleParams = new RuleParams(source, id, rule, paramsNode);
            var bound = spec.Bind(ruleParams);
            ruleParams.RefuseUnknown();
            _itemRefs.Add((id, ruleParams));
            var match = new Dictionary<string, Matcher>(StringComparer.Ordinal);
            if (Get(m, "match") is { } mn)
            {
                if (mn is not YamlMappingNode mm) throw Error(mn, $"item {id}: 'match' must map slot names to phrase conditions");
                foreach (var (k, v) in mm.Children)
                {
                    if (!spec.Slots.Contains(Scalar(k)) && !spec.OptionalSlots.Contains(Scalar(k)))
                    {
                        var known = spec.Slots.Concat(spec.OptionalSlots).ToArray();
                        throw Error(k, $"item {id}: rule '{rule}' has no slot '{Scalar(k)}' ({(known.Length == 0 ? "it takes no phrases" : "known: " + string.Join(", ", known))})");
                    }
                    match[Scalar(k)] = ReadMatcher(v, "any");
                }
            }
            foreach (var slot in spec.Slots)
                if (!match.ContainsKey(slot)) throw Error(node, $"item {id}: rule '{rule}' needs match.{slot}");
            return new RubricItem
            {
                Id = id, Section = section[0], Severity = severity, Rule = bound,
                ComplaintOnly = Get(m, "complaintOnly") is { } co && Bool(co),
                Description = Get(m, "description") is { } d ? Scalar(d) : null,
                Name = Get(m, "name") is { } nm && Scalar(nm) is { Length: > 0 } nms ? nms : id,
                NameEn = Get(m, "nameEn") is { } ne && Scalar(ne) is { Length: > 0 } nes ? nes : id,
                Aliases = Get(m, "aliases") switch
                {
                    null => [],
                    YamlSequenceNode an => an.Children.Select(a => a is YamlScalarNode sn && sn.Value is { Length: > 0 } v
                        ? v : throw Error(a, $"item {id}: each alias must be a non-empty string")).ToList(),
                    var an => throw Error(an, $"item {id}: 'aliases' must be a list of other names people search by"),
                },
                Match = match, Line = (int)node.Start.Line,
            };
        }

        private Matcher ReadMatcher(YamlNode node, string defaultSpeaker)
        {
            var id = _matchers++;
            switch (node)
            {
                case YamlScalarNode or YamlSequenceNode:
                    return new Matcher { Id = id, Any = Patterns(node), Speaker = defaultSpeaker, Line = (int)node.Start.Line };
                case YamlMappingNode m:
                    foreach (var key in m.Children.Keys)
                        if (Scalar(key) is not ("any" or "all" or "none" or "speaker" or "firstSec" or "lastTurns" or "minCount"))
                            throw Error(key, $"unknown condition key '{Scalar(key)}' (any, all, none, speaker, firstSec, lastTurns, minCount)");
                    var speaker = Get(m, "speaker") is { } sp ? Scalar(sp) : defaultSpeaker;
                    if (speaker is not ("agent" or "customer" or "any")) throw Error(m, $"speaker must be agent, customer or any, not '{speaker}'");
                    var matcher = new Matcher
                    {
                        Id = id,
                        Any = Get(m, "any") is { } a ? Patterns(a) : [],
                        All = Get(m, "all") is { } al ? Patterns(al) : [],
                        None = Get(m, "none") is { } no ? Patterns(no) : [],
                        Speaker = speaker,
                        FirstSec = Get(m, "firstSec") is { } fs ? Number(fs, 0, 36_000, "firstSec") : null,
                        LastTurns = Get(m, "lastTurns") is { } lt ? Whole(lt, 1, 10_000, "lastTurns") : null,
                        MinCount = Get(m, "minCount") is { } mc ? Whole(mc, 1, 10_000, "minCount") : 1,
                        Line = (int)node.Start.Line,
                    };
                    if (matcher.IsEmpty) throw Error(m, "a condition needs 'any' or 'all' phrases");
                    return matcher;
                default:
                    throw Error(node, "a phrase condition must be a phrase, a list of phrases or a mapping");
            }
        }

        private List<Pattern> Patterns(YamlNode node)
        {
            var result = new List<Pattern>();
            Expand(node, result, 0);
            return result;
        }

        private void Expand(YamlNode node, List<Pattern> into, int depth)
        {
            if (depth > 8) throw Error(node, "phrase families refer to each other in a loop");
            if (node is YamlSequenceNode seq)
            {
                foreach (var child in seq) Expand(child, into, depth);
                return;
            }
            if (node is not YamlScalarNode) throw Error(node, "expected a phrase or a list of phrases");
            var text = Scalar(node).Trim();
            if (text.Length == 0) throw Error(node, "empty phrase");
            if (text.StartsWith('$'))
            {
                if (!_families.TryGetValue(text[1..], out var fam)) throw Error(node, $"unknown phrase family '{text}'");
                Expand(fam, into, depth + 1);
                return;
            }
            into.Add(Compile(text, node));
        }

        // The same phrase (a family used by several items) compiles once: patterns are immutable, and a call's caches
        // (a regex's matches, a pattern's hits) then serve every condition that uses it.
        private readonly Dictionary<string, Pattern> _compiled = new(StringComparer.Ordinal);

        private Pattern Compile(string text, YamlNode node)
        {
            if (_compiled.TryGetValue(text, out var known)) return known;
            var compiled = CompileNew(text, node);
            compiled.Id = _compiled.Count;
            return _compiled[text] = compiled;
        }

        private Pattern CompileNew(string text, YamlNode node)
        {
            if (text.StartsWith("re:", StringComparison.Ordinal))
            {
                var src = ChineseConverter.TraditionalToSimplified.Convert(text[3..]);
                var folded = new string(src.Select(_folder.Fold).ToArray());
                // The scorer reads where a match starts and ends, never what a group captured: without captures the same
                // expression matches the same text 20–30 % faster (.NET finds the leading characters of uncaptured
                // alternations). A pattern that refers back to a numbered group (refused that way) keeps its captures;
                // a broken one is reported as its author wrote it.
                Regex regex;
                try { regex = new Regex(folded, RegexOptions.CultureInvariant | RegexOptions.Compiled | RegexOptions.ExplicitCapture, RegexTimeout); }
                catch (ArgumentException)
                {
                    try { regex = new Regex(folded, RegexOptions.CultureInvariant | RegexOptions.Compiled, RegexTimeout); }
                    catch (ArgumentException e) { throw Error(node, $"bad regular expression '{text}': {e.Message}"); }
                }
                return new Pattern { Source = text, Regex = regex };
            }
            var segments = new List<int[]>();
            var gaps = new List<int>();
            var simplified = ChineseConverter.TraditionalToSimplified.Convert(text).Replace("...", "…", StringComparison.Ordinal);
            var parts = simplified.Split('…');
            for (var i = 0; i < parts.Length; i++)
            {
                var part = parts[i];
                if (i > 0)
                {
                    var gap = _settings.GapChars;
                    var gm = Regex.Match(part, @"^\{(\d+)\}");
                    if (gm.Success)
                    {
                        if (!int.TryParse(gm.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out gap) || gap > 200)
                            throw Error(node, $"phrase '{text}': a gap of {gm.Groups[1].Value} characters is impossible (at most 200)");
                        part = part[gm.Length..];
                    }
                    gaps.Add(gap);
                }
                var alternatives = ExpandGroups(part, node, text);
                var ids = new List<int>();
                foreach (var alt in alternatives)
                {
                    var lit = _folder.FoldLiteral(alt);
                    if (lit.Length > 0) ids.Add(_index.AddPiece(lit));
                }
                if (ids.Count == 0) throw Error(node, $"phrase '{text}' has an empty part");
                segments.Add(ids.Distinct().ToArray());
            }
            return new Pattern { Source = text, Segments = segments, Gaps = gaps };
        }

        /// <summary>"(给|帮)您(查|看)" → 给您查, 给您看, 帮您查, 帮您看; groups nest; an empty alternative makes a group optional.</summary>
        private List<string> ExpandGroups(string s, YamlNode node, string whole)
        {
            var i = 0;
            var result = Alternatives(s, ref i, node, whole);
            if (i < s.Length) throw Error(node, $"phrase '{whole}': ')' without '('");
            return result;
        }

        private List<string> Alternatives(string s, ref int i, YamlNode node, string whole)
        {
            var all = Sequence(s, ref i, node, whole);
            while (i < s.Length && s[i] == '|')
            {
                i++;
                all.AddRange(Sequence(s, ref i, node, whole));
            }
            return all;
        }

        private List<string> Sequence(string s, ref int i, YamlNode node, string whole)
        {
            var results = new List<string> { "" };
            while (i < s.Length && s[i] is not (')' or '|'))
            {
                if (s[i] == '(')
                {
                    i++;
                    var alts = Alternatives(s, ref i, node, whole);
                    if (i >= s.Length || s[i] != ')') throw Error(node, $"phrase '{whole}': '(' without ')'");
                    i++;
                    results = results.SelectMany(r => alts.Select(a => r + a)).ToList();
                    if (results.Count > 512) throw Error(node, $"phrase '{whole}' expands to more than 512 alternatives");
                }
                else
                {
                    var c = s[i++];
                    for (var k = 0; k < results.Count; k++) results[k] += c;
                }
            }
            return results;
        }

        private static YamlNode? Get(YamlMappingNode m, string key) =>
            m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

        private static string Scalar(YamlNode n) => n is YamlScalarNode s ? s.Value ?? "" : "";

        private YamlSequenceNode AsSequence(YamlNode n, string what) =>
            n as YamlSequenceNode ?? throw Error(n, $"'{what}' must be a list");

        private double Number(YamlNode n, double min, double max, string what)
        {
            if (n is not YamlScalarNode s) throw Error(n, $"{what} must be a number, not a {(n is YamlSequenceNode ? "list" : "mapping")}");
            if (!double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
                throw Error(n, $"{what} must be a number, found '{s.Value}'");
            if (d < min || d > max)
                throw Error(n, $"{what} = {s.Value} is impossible (allowed {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)})");
            return d;
        }

        private int Whole(YamlNode n, int min, int max, string what)
        {
            var d = Number(n, min, max, what);
            return d == Math.Floor(d) ? (int)d : throw Error(n, $"{what} must be a whole number, found '{Scalar(n)}'");
        }

        private bool Bool(YamlNode n) => Scalar(n) switch
        {
            "true" or "yes" => true,
            "false" or "no" => false,
            _ => throw Error(n, $"expected true or false, found '{Scalar(n)}'"),
        };
    }
}
