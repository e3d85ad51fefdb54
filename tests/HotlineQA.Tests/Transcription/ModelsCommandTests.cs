using HotlineQA.Host.Cli;
using HotlineQA.Transcription;

namespace HotlineQA.Tests.Transcription;

public sealed class ModelsCommandTests
{
    [Fact]
    public async Task Pull_ShouldReturnUsageError_WhenTheModelNameIsUnknown()
    {
        Assert.Equal(CliApp.BadUsage, await CliApp.RunAsync(["models", "pull", "whisper-huge"]));
    }

    [Fact]
    public async Task Pull_ShouldReturnUsageError_WhenTheVariantIsUnknown()
    {
        Assert.Equal(CliApp.BadUsage, await CliApp.RunAsync(["models", "pull", "whisper-base", "--variant", "int3"]));
    }

    [Theory]
    [InlineData("whisper-tiny", "tiny")]
    [InlineData("base", "base")]
    [InlineData("whisper-large-v3-turbo", "large-v3-turbo")]
    [InlineData("Whisper-Small", "small")]
    [InlineData("whisper-huge", null)]
    public void Size_ShouldAcceptBothSpellings_WhenGivenAModelName(string name, string? expected)
    {
        Assert.Equal(expected, WhisperCatalog.Size(name));
    }

    [Fact]
    public void Repos_ShouldCoverEverySizeTheIssueNames_WhenListed()
    {
        Assert.Equal(["base", "large-v3", "large-v3-turbo", "medium", "small", "tiny"], WhisperCatalog.Repos.Keys.Order());
    }
}
