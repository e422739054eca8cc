using GracefulDisconnect.Fuzz;
using SharpFuzz;

// afl-fuzz (default): inputs arrive over SharpFuzz's out-of-process channel.
// --libfuzzer: driven by libfuzzer-dotnet.
// --repro <file>...: run files (a seed corpus, a crash AFL saved) once, outside any fuzzer; exit 0 when none crashes.
switch (args)
{
    case ["--libfuzzer"]:
        Fuzzer.LibFuzzer.Run(span => ParserTarget.Run(span));
        break;
    case ["--repro", .. var files]:
        foreach (var file in files.SelectMany(path => Directory.Exists(path) ? Directory.GetFiles(path) : [path]))
        {
            ParserTarget.Run(File.ReadAllBytes(file));
            Console.WriteLine($"ok {file}");
        }

        break;
    default:
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            ParserTarget.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        break;
}
