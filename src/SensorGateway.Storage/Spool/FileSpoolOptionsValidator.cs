using Microsoft.Extensions.Options;

namespace SensorGateway.Storage.Spool;

/// <summary>Start-up validation of <see cref="FileSpoolOptions"/> (register with <c>ValidateOnStart</c>).</summary>
public sealed class FileSpoolOptionsValidator : IValidateOptions<FileSpoolOptions>
{
    public ValidateOptionsResult Validate(string? name, FileSpoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
