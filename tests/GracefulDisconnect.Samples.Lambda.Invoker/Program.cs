using GracefulDisconnect.Samples.Lambda;

// Exit codes: 0 invoked (the response on stdout, after the function's log lines), 2 usage, 3 the cold start failed.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: GracefulDisconnect.Samples.Lambda.Invoker <event.json>");
    return 2;
}

Function function;
try
{
    function = new Function();
}
catch (FunctionConfigurationException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 3;
}

await using (function)
{
    await using var input = File.OpenRead(args[0]);
    await using var output = await function.HandleAsync(input);
    using var reader = new StreamReader(output);
    Console.WriteLine("response: " + await reader.ReadToEndAsync());
}

return 0;
