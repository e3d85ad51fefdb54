using HotlineQA.Common;
using HotlineQA.Scoring;
using System.Text.Json;
using Xunit.Abstractions;

namespace HotlineQA.Tests.Scoring;

public class DebugDump(ITestOutputHelper output)
{
    [Fact]
    public void Dump()
    {
        var s = new RubricScorer(RubricLoader.LoadDefault());
        foreach (var c in DevSet.Load().Where(c => c.Name.Contains(Environment.GetEnvironmentVariable("DUMP") ?? "zzz")))
            output.WriteLine(JsonSerializer.Serialize(s.Score(c.Transcript), HotlineJson.Indented));
    }
}
