using HotlineQA.Classification;
using HotlineQA.Common;

namespace HotlineQA.Tests.Classification;

public class TrainingDataTests
{
    [Fact]
    public void Generate_ShouldReturnSameExamples_WhenSeedIsSame()
    {
        var a = TrainingSetGenerator.Generate(seed: 7, perClass: 50);
        var b = TrainingSetGenerator.Generate(seed: 7, perClass: 50);
        var c = TrainingSetGenerator.Generate(seed: 8, perClass: 50);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(UtteranceLabels.All.Order(), a.Select(x => x.Label).Distinct().Order());
    }

    [Fact]
    public void BuildDataset_ShouldKeepValidationAndRealHoldoutOutOfTraining_WhenBuilt()
    {
        var data = ClassifierTraining.BuildDataset(TestPaths.Shared("data/stc3/stc3_helpdesk_dev.json"));
        var train = data.Train.Select(u => TextNormalizer.Normalize(u.Text)).ToHashSet();
        Assert.DoesNotContain(data.Validation, u => train.Contains(TextNormalizer.Normalize(u.Text)));
        Assert.DoesNotContain(data.RealTurns, u => train.Contains(TextNormalizer.Normalize(u.Text)));
        Assert.All(data.Validation, u => Assert.True(TrainingData.IsValidation(u.Text)));
        Assert.True(data.Train.Count > 2500, $"training set has {data.Train.Count} examples");
        Assert.True(data.RealTurns.Count > 150, $"real-turn holdout has {data.RealTurns.Count} examples");
        Assert.All(UtteranceLabels.All, l => Assert.Contains(data.RealTurns, u => u.Label == l));
        // Held out by dialogue: no dialogue has turns on both sides.
        var heldDialogues = data.RealTurns.Select(TrainingData.DialogueOf).ToHashSet();
        Assert.DoesNotContain(heldDialogues, d => d is null);
        Assert.DoesNotContain(data.Train, u => TrainingData.DialogueOf(u) is { } d && heldDialogues.Contains(d));
        Assert.Contains(data.Train, u => TrainingData.DialogueOf(u) is not null);
    }

    [Fact]
    public void ReadFeedback_ShouldReadEveryJsonlFileOfFolder_WhenFolderGiven()
    {
        var dir = Directory.CreateTempSubdirectory("hotlineqa-feedback-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "a.jsonl"),
                """
                {"text":"抱歉,这是规定,我们也没办法","label":"perfunctory_apology","source":"review 12"}

                {"text":"非常抱歉,我马上帮您退款","label":"sincere_apology","nextAgentText":"已经提交了"}
                """);
            File.WriteAllText(Path.Combine(dir.FullName, "b.jsonl"), """{"text":"系统又卡了","label":"blame_shifting"}""");
            File.WriteAllText(Path.Combine(dir.FullName, "ignored.txt"), "not feedback");
            var rows = TrainingData.ReadFeedback(dir.FullName);
            Assert.Equal(["perfunctory_apology", "sincere_apology", "blame_shifting"], rows.Select(r => r.Label));
            Assert.Equal("已经提交了", rows[1].NextAgentText);
            Assert.All(rows, r => Assert.Equal("feedback", r.Source));
        }
        finally { dir.Delete(true); }
    }

    [Theory]
    [InlineData("{\"text\":\"好的\",\"label\":\"angry\"}", "unknown label 'angry'")]
    [InlineData("{\"label\":\"neutral\"}", "'text' is missing")]
    [InlineData("not json", "not a JSON object")]
    public void ReadFeedback_ShouldNameFileAndLine_WhenLineIsBad(string line, string reason)
    {
        var file = Path.Combine(Path.GetTempPath(), $"hotlineqa-feedback-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(file, "{\"text\":\"您好\",\"label\":\"neutral\"}\n" + line + "\n");
        try
        {
            var e = Assert.Throws<BadInputException>(() => TrainingData.ReadFeedback(file));
            Assert.Contains($"{file}:2", e.Message);
            Assert.Contains(reason, e.Message);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void ReadFeedback_ShouldFail_WhenPathMissing()
    {
        var e = Assert.Throws<BadInputException>(() => TrainingData.ReadFeedback("/nonexistent/feedback"));
        Assert.Contains("/nonexistent/feedback", e.Message);
    }
}
