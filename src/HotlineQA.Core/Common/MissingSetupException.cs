namespace HotlineQA.Common;

/// <summary>
/// A piece of the machine's setup is missing (an OS package, a data file scripts/setup.sh installs). The CLI maps it
/// to exit code 2 with one line naming the package or setting; it is never the user's input.
/// </summary>
public sealed class MissingSetupException(string message, Exception? inner = null) : Exception(message, inner);
