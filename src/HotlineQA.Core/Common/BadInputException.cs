namespace HotlineQA.Common;

/// <summary>
/// Input the user gave us is unusable (corrupt recording, malformed transcript, …). The CLI maps it to exit
/// code 1 and the pipeline to a failed call; the message is shown to people, so it names the file and the reason
/// and never quotes personal data from inside the file.
/// </summary>
public sealed class BadInputException(string message, Exception? inner = null) : Exception(message, inner);
