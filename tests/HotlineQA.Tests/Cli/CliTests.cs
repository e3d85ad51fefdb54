using HotlineQA.Host.Cli;

namespace HotlineQA.Tests.Cli;

// In-process CliApp runs write to the process-wide Console.Error: one at a time with the tests that capture it.
[Collection("console")]
public class CliTests
{
    [Theory]
    [InlineData("score")]
    [InlineData("analyze-audio")]
    [InlineData("transcribe")]
    [InlineData("classify")]
    [InlineData("ingest")]
    [InlineData("serve")]
    [InlineData("worker")]
    [InlineData("demo")]
    [InlineData("models")]
    [InlineData("classifier")]
    public void Build_ShouldHaveEveryContractVerb_WhenBuilt(string verb)
    {
        Assert.Contains(CliApp.Build().Subcommands, c => c.Name == verb);
    }

    [Fact]
    public async Task RunAsync_ShouldReturnUsageError_WhenVerbUnknown()
    {
        Assert.Equal(CliApp.BadUsage, await CliApp.RunAsync(["no-such-verb"]));
    }

    [Fact]
    public async Task RunAsync_ShouldReturnUsageError_WhenFormatInvalid()
    {
        Assert.Equal(CliApp.BadUsage, await CliApp.RunAsync(["score", "x.json", "--format", "xml"]));
    }
}
