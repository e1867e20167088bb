using Microsoft.Extensions.Options;

namespace SensorGateway.Host.Configuration;

/// <summary>Adapts an options class's own <c>Validate()</c> (messages that name the key and the fix) to start-up validation.</summary>
internal static class OptionsValidation
{
    public static OptionsBuilder<T> ValidateWith<T>(this OptionsBuilder<T> builder, Func<T, IEnumerable<string>> validate)
        where T : class
    {
        builder.Services.AddSingleton<IValidateOptions<T>>(new DelegatingValidator<T>(builder.Name, validate));
        return builder;
    }

    private sealed class DelegatingValidator<T>(string name, Func<T, IEnumerable<string>> validate) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options)
        {
            if (optionsName is not null && optionsName != name)
            {
                return ValidateOptionsResult.Skip;
            }

            var failures = validate(options).ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
