using System.Text.Json;
using HotlineQA.Classification;
using HotlineQA.TestSupport;
using HotlineQA.Transcription;

namespace HotlineQA.Tests.Classification;

/// <summary>
/// The compiled form of the two shipped ML.NET models must give ML.NET's own probabilities: checked on real language
/// the models never chose (STC-3 helpdesk dialogues, customer reviews), every turn read through both.
/// </summary>
public class CompiledTextModelTests
{
    private static readonly string Stc3 = TestPaths.Shared("data/stc3/stc3_helpdesk_dev.json");
    private static readonly string Reviews = TestPaths.Shared("data/sentiment/waimai_10k.csv");

    /// <summary>STC-3 dialogues as transcripts (customer = the Weibo user, agent = the helpdesk), 5 s per turn.</summary>
    private static List<Transcript> Dialogues(int count)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Stc3));
        var calls = new List<Transcript>();
        foreach (var d in doc.RootElement.EnumerateArray().Take(count))
        {
            var utterances = new List<Utterance>();
            foreach (var turn in d.GetProperty("turns").EnumerateArray())
            {
                var text = string.Concat(turn.GetProperty("utterances").EnumerateArray().Select(u => u.GetString()));
                var t = utterances.Count * 5.0;
                utterances.Add(new Utterance { Speaker = turn.GetProperty("sender").GetString() == "customer" ? Speakers.Customer : Speakers.Agent, Text = text, Start = t, End = t + 4 });
            }
            calls.Add(new Transcript { CallId = d.GetProperty("id").ToString(), Channels = 2, DurationSec = utterances.Count * 5.0, Utterances = utterances });
        }
        return calls;
    }

    /// <summary>The shipped model compiled, and the same model on ML.NET's engine (the reference).</summary>
    private static (T Compiled, T Reference) Pair<T>(T model, Func<T, bool> compiled, Func<T, T> withoutCompilation)
    {
        Assert.True(compiled(model));
        var reference = withoutCompilation(model);
        Assert.False(compiled(reference));
        return (model, reference);
    }

    [Fact]
    public void CustomerModel_ShouldGiveMlNetsProbabilities_OnRealCustomerTurnsAndReviews()
    {
        var (compiled, reference) = Pair(CustomerStateModel.LoadDefault(), m => m.Compiled, m => m.WithoutCompilation());
        var (turns, worst) = (0, 0.0);
        foreach (var call in Dialogues(600))
        {
            var a = compiled.Predict(call.Utterances);
            var b = reference.Predict(call.Utterances);
            Assert.Equal(b.Count, a.Count);
            for (var i = 0; i < a.Count; i++, turns++)
            {
                Assert.Equal(b[i].Utterance, a[i].Utterance);
                Assert.Equal(b[i].Label, a[i].Label);
                worst = Math.Max(worst, new[] { a[i].Complaint - b[i].Complaint, a[i].Dissatisfaction - b[i].Dissatisfaction, a[i].Abuse - b[i].Abuse,
                    a[i].Satisfied - b[i].Satisfied, a[i].Neutral - b[i].Neutral }.Max(Math.Abs));
            }
        }
        foreach (var line in File.ReadLines(Reviews).Skip(1).Take(1500))
        {
            var text = line[(line.IndexOf(',') + 1)..];
            var a = compiled.Classify(CustomerTurnContext.Alone(text));
            var b = reference.Classify(CustomerTurnContext.Alone(text));
            Assert.Equal(b.Label, a.Label);
            worst = Math.Max(worst, Math.Abs(a.Sentiment - b.Sentiment));
            turns++;
        }
        // ML.NET gives every surrogate the same slot name, so a text holding one is read by ML.NET: same numbers.
        foreach (var text in new[] { "气死我了😡等了三天还没人来", "𠮷野家的外卖送错了", "谢谢你们👍" })
        {
            var a = compiled.Classify(CustomerTurnContext.Alone(text));
            var b = reference.Classify(CustomerTurnContext.Alone(text));
            Assert.Equal((b.Complaint, b.Satisfied, b.Neutral), (a.Complaint, a.Satisfied, a.Neutral));
        }
        Assert.True(turns > 2500, $"only {turns} turns read");
        Assert.True(worst < 1e-5, $"largest difference from ML.NET: {worst}");
    }

    [Fact]
    public void UtteranceClassifier_ShouldGiveMlNetsProbabilities_OnRealHelpdeskTurns()
    {
        var (compiled, reference) = Pair(MlNetUtteranceClassifier.Load(null), m => m.Compiled, m => m.WithoutCompilation());
        var (turns, worst) = (0, 0.0);
        foreach (var call in Dialogues(600))
        {
            var u = call.Utterances;
            for (var i = 0; i < u.Count; i++)
            {
                if (u[i].Speaker != Speakers.Agent) continue;
                var context = new UtteranceContext(u[i].Text, i > 0 ? u[i - 1].Text : null, i + 2 < u.Count ? u[i + 2].Text : null);
                var a = compiled.Classify(context);
                var b = reference.Classify(context);
                Assert.Equal(b.Label, a.Label);
                foreach (var (label, p) in b.Probabilities) worst = Math.Max(worst, Math.Abs(a.Probabilities[label] - p));
                turns++;
            }
        }
        Assert.True(turns > 1000, $"only {turns} turns read");
        Assert.True(worst < 1e-5, $"largest difference from ML.NET: {worst}");
    }

    [Fact]
    public void TryCompile_ShouldRefuseAModel_WhoseNumbersItCannotReproduce()
    {
        // The probe check is what keeps an unexpected model on ML.NET's path: a reference that disagrees is refused.
        var ml = new Microsoft.ML.MLContext(1);
        using var s = typeof(CustomerStateModel).Assembly.GetManifestResourceStream(CustomerStateModel.EmbeddedModel)!;
        var model = ml.Model.Load(s, out var input);
        var output = model.GetOutputSchema(input);
        var agreeing = CompiledTextModel.TryCompile(model, output, CustomerFeatures.Count, (_, _) => [0.2f, 0.2f, 0.2f, 0.2f, 0.2f], out var why);
        Assert.Null(agreeing);
        Assert.Contains("differs from ML.NET", why);

        // The wrong context length (the model's features are n-grams + 14) is refused before any probe.
        Assert.Null(CompiledTextModel.TryCompile(model, output, CustomerFeatures.Count + 1, (_, _) => [], out why));
        Assert.Contains("n-grams + context", why);
    }
}
