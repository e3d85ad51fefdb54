using FFMpegCore.Exceptions;
using HotlineQA.Common;
using HotlineQA.Pipeline;

namespace HotlineQA.Tests.Pipeline;

public class StepFailureTests
{
    [Fact]
    public void PermanentReason_ShouldBeTheMessage_WhenTheInputIsBad() =>
        Assert.Equal("a.wav: corrupt", StepFailure.PermanentReason(new BadInputException("a.wav: corrupt")));

    [Fact]
    public void PermanentReason_ShouldBeTheMessage_WhenAnEngineIsNotBuilt() =>
        Assert.Equal("the audio front end is not built yet", StepFailure.PermanentReason(new NotSupportedException("the audio front end is not built yet")));

    [Fact]
    public void PermanentReason_ShouldSayCannotDecode_WhenFfmpegFails() =>
        Assert.Equal("cannot decode the recording: Invalid data found when processing input",
            StepFailure.PermanentReason(new FFMpegException("Invalid data found when processing input\nmore ffmpeg output")));

    [Fact]
    public void PermanentReason_ShouldSayCannotDecode_WhenFfprobeFails() =>
        Assert.Equal("cannot decode the recording: no streams", StepFailure.PermanentReason(new FFProbeException("no streams")));

    [Fact]
    public void PermanentReason_ShouldSayCannotDecode_WhenTheDataIsInvalid() =>
        Assert.Equal("cannot decode: bad RIFF header", StepFailure.PermanentReason(new InvalidDataException("bad RIFF header")));

    [Fact]
    public void PermanentReason_ShouldUnwrap_WhenASingleInnerExceptionIsAggregated() =>
        Assert.Equal("x", StepFailure.PermanentReason(new AggregateException(new BadInputException("x"))));

    [Theory]
    [InlineData(typeof(IOException))]
    [InlineData(typeof(TimeoutException))]
    [InlineData(typeof(InvalidOperationException))]
    public void PermanentReason_ShouldBeNull_WhenARetryMayHelp(Type type) =>
        Assert.Null(StepFailure.PermanentReason((Exception)Activator.CreateInstance(type, "transient")!));
}
