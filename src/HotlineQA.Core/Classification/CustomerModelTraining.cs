using System.Globalization;
using System.Text.Json;
using HotlineQA.Common;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;
using Microsoft.VisualBasic.FileIO;

namespace HotlineQA.Classification;

/// <summary>One labelled customer turn for the customer-state model. <see cref="Group"/> keeps a dialogue's turns together in splits.</summary>
public sealed record LabelledCustomerTurn(string Label, CustomerTurnContext Turn, string Source, string Group, float Weight = 1f);

/// <summary>One STC-3 dialogue: its turns (customer = the Weibo user, agent = the helpdesk) and the annotators' mean scores.</summary>
public sealed record Stc3Dialogue(string Id, IReadOnlyList<(string Speaker, string Text)> Turns, double Satisfaction, double Accomplishment, double Effectiveness);

/// <summary>The three domains a training run draws on (docs/customer-model.md).</summary>
public sealed record CustomerDataset(IReadOnlyList<LabelledCustomerTurn> Reviews, IReadOnlyList<LabelledCustomerTurn> Stc3, IReadOnlyList<LabelledCustomerTurn> Phone)
{
    public IEnumerable<LabelledCustomerTurn> All => Reviews.Concat(Stc3).Concat(Phone);
}

/// <summary>
/// Reads the customer-state model's training material and trains it reproducibly: fixed seed, one thread, data in a
/// fixed order; the same inputs give the same model file byte for byte.
/// </summary>
public static class CustomerModelTraining
{
    /// <summary>Share of the total training weight each domain gets (docs/customer-model.md explains the choice).</summary>
    public const double ReviewShare = 0.40, Stc3Share = 0.40, PhoneShare = 0.20;

    /// <summary>No single hand-written line may weigh more than this many ordinary rows.</summary>
    public const float MaxRowWeight = 40f;

    /// <summary>Reviews used: one in <see cref="ReviewSampleEvery"/>, each cut to <see cref="ReviewChars"/> characters.</summary>
    public const int ReviewSampleEvery = 3, ReviewChars = 120;

    public static readonly string[] ReviewFiles = ["online_shopping_10_cats.csv", "waimai_10k.csv", "ChnSentiCorp_htl_all.csv"];

    /// <summary>Reads the three review files of <paramref name="folder"/>: label 0 → complaint, 1 → satisfied; no call context.</summary>
    public static List<LabelledCustomerTurn> ReadReviews(string folder)
    {
        var list = new List<LabelledCustomerTurn>();
        foreach (var name in ReviewFiles)
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path)) throw new BadInputException($"{path}: review file not found (expected the three files of shared/data/sentiment)");
            using var parser = new TextFieldParser(path, System.Text.Encoding.UTF8) { HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = true };
            parser.SetDelimiters(",");
            var header = parser.ReadFields() ?? throw new BadInputException($"{path}: empty file");
            var labelCol = Array.IndexOf(header, "label");
            var textCol = Array.IndexOf(header, "review");
            if (labelCol < 0 || textCol < 0) throw new BadInputException($"{path}:1: expected columns 'label' and 'review'");
            while (!parser.EndOfData)
            {
                var line = parser.LineNumber;
                string[]? f;
                try { f = parser.ReadFields(); }
                catch (MalformedLineException e) { throw new BadInputException($"{path}:{e.LineNumber}: malformed CSV line"); }
                if (f is null || f.Length <= Math.Max(labelCol, textCol)) throw new BadInputException($"{path}:{line}: expected {header.Length} columns");
                var text = f[textCol].Trim('\uFEFF', ' ');
                if (text.Length == 0) continue;
                var label = f[labelCol] switch
                {
                    "0" => CustomerLabels.Complaint,
                    "1" => CustomerLabels.Satisfied,
                    var other => throw new BadInputException($"{path}:{line}: label '{other}' is not 0 or 1"),
                };
                // One review in three (by a hash of its text: the same ones every run), cut to its first ReviewChars
                // characters: the vocabulary of complaint and praise saturates long before 82k reviews, and training
                // time on a shared 2-core machine does not (docs/customer-model.md).
                if (TrainingData.StableHash("review:" + text) % ReviewSampleEvery != 0) continue;
                if (text.Length > ReviewChars) text = text[..ReviewChars];
                list.Add(new LabelledCustomerTurn(label, CustomerTurnContext.Alone(text), "review:" + name, "review:" + text));
            }
        }
        return list;
    }

    /// <summary>Reads the STC-3 helpdesk dialogues with the annotators' mean A/S/E.</summary>
    public static List<Stc3Dialogue> ReadStc3(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: STC-3 dialogue file not found");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var list = new List<Stc3Dialogue>();
            foreach (var d in doc.RootElement.EnumerateArray())
            {
                var id = d.GetProperty("id").GetString() ?? throw new InvalidOperationException("id");
                var turns = d.GetProperty("turns").EnumerateArray()
                    .Select(t => (t.GetProperty("sender").GetString() == "customer" ? "customer" : "agent", Stc3RealTurns.TurnText(t)))
                    .ToList();
                var q = d.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("quality")).ToList();
                if (q.Count == 0) throw new BadInputException($"{path}: dialogue {id} has no annotations");
                list.Add(new Stc3Dialogue(id, turns,
                    q.Average(x => x.GetProperty("S").GetDouble()), q.Average(x => x.GetProperty("A").GetDouble()), q.Average(x => x.GetProperty("E").GetDouble())));
            }
            return list;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new BadInputException($"{path}: not an STC-3 dialogue file ({e.GetType().Name})");
        }
    }

    /// <summary>
    /// Weak labels from a dialogue's mean satisfaction S (−2…2): clearly unhappy dialogues (S ≤ −0.75) label the first
    /// customer turn complaint and later ones dissatisfaction; clearly satisfied ones (S ≥ 0.5) label the last customer
    /// turn satisfied; every other turn gets no label (almost every Weibo dialogue opens with a problem report, so
    /// "neutral" there would teach the model that a described problem is no complaint). The weight grows with how far
    /// S is from 0 (a surer label).
    /// </summary>
    public static IEnumerable<LabelledCustomerTurn> WeakLabels(Stc3Dialogue d)
    {
        var customer = d.Turns.Select((t, i) => (t, i)).Where(x => x.t.Speaker == "customer").ToList();
        string? lastAgent = null;
        var k = 0;
        for (var i = 0; i < d.Turns.Count; i++)
        {
            var (speaker, text) = d.Turns[i];
            if (speaker != "customer") { lastAgent = text; continue; }
            var isFirst = k == 0;
            var isLast = k == customer.Count - 1;
            var ctx = new CustomerTurnContext(text, lastAgent, k++, customer.Count);
            string label;
            float w;
            if (d.Satisfaction <= -0.75) { label = isFirst ? CustomerLabels.Complaint : CustomerLabels.Dissatisfaction; w = (float)Math.Min(1.0, -d.Satisfaction / 1.25); }
            else if (d.Satisfaction >= 0.5 && isLast) { label = CustomerLabels.Satisfied; w = (float)Math.Min(1.0, d.Satisfaction / 1.0); }
            else continue; // a problem report in a middling dialogue is neither a sure complaint nor neutral: no label
            if (TextNormalizer.Normalize(text).Length == 0) continue;
            yield return new LabelledCustomerTurn(label, ctx, "stc3", "stc3:" + d.Id, w);
        }
    }

    /// <summary>The hand-written phone-register turns (embedded <c>Data/customer-phone.tsv</c>).</summary>
    public static List<LabelledCustomerTurn> Phone()
    {
        using var stream = typeof(CustomerModelTraining).Assembly.GetManifestResourceStream("HotlineQA.Classification.Data.customer-phone.tsv")
            ?? throw new InvalidOperationException("embedded customer-phone.tsv is missing from the build");
        using var reader = new StreamReader(stream);
        return ReadPhoneTsv(reader, "customer-phone.tsv");
    }

    /// <summary>TSV: <c>label⇥text[⇥previous agent turn⇥first|middle|last]</c>; <c>#</c> starts a comment line.</summary>
    public static List<LabelledCustomerTurn> ReadPhoneTsv(TextReader reader, string source)
    {
        var list = new List<LabelledCustomerTurn>();
        var lineNo = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var c = line.Split('\t');
            if (c.Length < 2 || c[1].Trim().Length == 0) throw new BadInputException($"{source}:{lineNo}: expected 'label<TAB>text[<TAB>previous agent turn<TAB>position]'");
            var label = c[0].Trim();
            if (!CustomerLabels.All.Contains(label))
                throw new BadInputException($"{source}:{lineNo}: unknown label '{label}' (expected one of {string.Join(", ", CustomerLabels.All)})");
            var prev = c.Length > 2 && c[2].Trim() is { Length: > 0 } p && p != "-" ? p : null;
            var pos = c.Length > 3 ? c[3].Trim() : "-";
            var ctx = pos switch
            {
                "first" => new CustomerTurnContext(c[1].Trim(), prev, 0, 3),
                "middle" => new CustomerTurnContext(c[1].Trim(), prev, 1, 3),
                "last" => new CustomerTurnContext(c[1].Trim(), prev, 2, 3),
                "-" or "" => new CustomerTurnContext(c[1].Trim(), prev, 0, 0),
                _ => throw new BadInputException($"{source}:{lineNo}: position '{pos}' is not first, middle, last or -"),
            };
            list.Add(new LabelledCustomerTurn(label, ctx, source, $"{source}:{TextNormalizer.Normalize(c[1])}"));
        }
        return list;
    }

    public static CustomerDataset BuildDataset(string sentimentFolder, IReadOnlyList<Stc3Dialogue> stc3) =>
        new(ReadReviews(sentimentFolder), stc3.SelectMany(WeakLabels).ToList(), Phone());

    /// <summary>Fold of a group (dialogue, review text, hand-written line) under <paramref name="k"/>-fold cross-validation.</summary>
    public static int FoldOf(string group, int k) => (int)(TrainingData.StableHash("fold:" + group) % (uint)k);

    /// <summary>
    /// Trains on the three domains, each scaled to its share of the total weight (a hand-written line capped at
    /// <see cref="MaxRowWeight"/>); within a domain a row keeps its own relative weight (STC-3 label sureness).
    /// </summary>
    public static CustomerStateModel Train(CustomerDataset data)
    {
        var total = data.Reviews.Count + data.Stc3.Count + data.Phone.Count;
        var rows = new List<CustomerModelInput>(total);
        Add(data.Reviews, ReviewShare);
        Add(data.Stc3, Stc3Share);
        Add(data.Phone, PhoneShare);

        var ml = new MLContext(seed: ClassifierTraining.Seed);
        var view = ml.Data.LoadFromEnumerable(rows);
        var pipeline = TextPipeline(ml, nameof(CustomerModelInput.Weight));
        return new CustomerStateModel(ml, pipeline.Fit(view));

        void Add(IReadOnlyList<LabelledCustomerTurn> domain, double share)
        {
            if (domain.Count == 0) return;
            var sum = domain.Sum(r => (double)r.Weight);
            var scale = (float)(share * total / sum);
            foreach (var r in domain)
            {
                var norm = TextNormalizer.NormalizeCustomer(r.Turn.Text);
                if (norm.Length == 0) continue;
                rows.Add(CustomerModelInput.From(norm, r.Turn, r.Label, Math.Min(MaxRowWeight, r.Weight * scale)));
            }
        }
    }

    /// <summary>
    /// The shape of the customer-side text models (the customer-state model, the ending model, the call-complaint model):
    /// normalized text as character 1–3-grams (the commonest only: small to ship, fast to apply), L2-normalized, with the
    /// context vector (unless <paramref name="context"/> is false: the call-complaint model reads the words only),
    /// into a maximum-entropy classifier trained reproducibly (one thread, no shuffling). <see cref="CompiledTextModel"/>
    /// compiles exactly this shape. <paramref name="iterations"/>: the trainer's passes over the data (the ending model
    /// takes 50, where 20 leave it short of converging; docs/customer-model.md).
    /// </summary>
    internal static IEstimator<ITransformer> TextPipeline(MLContext ml, string weightColumn, bool context = true, int iterations = 20)
    {
        var text = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.None,
            KeepDiacritics = true,
            KeepPunctuations = true,
            KeepNumbers = true,
            StopWordsRemoverOptions = null,
            WordFeatureExtractor = null,
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 3, UseAllLengths = true, MaximumNgramsCount = [4000, 30000, 20000] },
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };
        return ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Text.FeaturizeText("TextFeatures", text, nameof(ITextRow.Text)))
            .Append(context ? ml.Transforms.Concatenate("Features", "TextFeatures", nameof(ITextRow.Context)) : ml.Transforms.Concatenate("Features", "TextFeatures"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                ExampleWeightColumnName = weightColumn, NumberOfThreads = 1, L2Regularization = 1e-4f,
                MaximumNumberOfIterations = iterations, Shuffle = false,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
    }

    /// <summary>The part of a dataset in (or out of) fold <paramref name="fold"/> of <paramref name="k"/>.</summary>
    public static CustomerDataset Split(CustomerDataset data, int k, int fold, bool inFold)
    {
        List<LabelledCustomerTurn> F(IReadOnlyList<LabelledCustomerTurn> l) => l.Where(r => (FoldOf(r.Group, k) == fold) == inFold).ToList();
        return new CustomerDataset(F(data.Reviews), F(data.Stc3), F(data.Phone));
    }

    internal static string F3(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
}
