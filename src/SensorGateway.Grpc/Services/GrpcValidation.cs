using System.Runtime.CompilerServices;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SensorGateway.Grpc.Rpc;
using Status = Grpc.Core.Status;

namespace SensorGateway.Grpc.Services;

/// <summary>
/// Collects field violations of one request and throws them as INVALID_ARGUMENT with the rich error model:
/// a <c>google.rpc.Status</c> holding a <c>google.rpc.BadRequest</c> in the <c>grpc-status-details-bin</c> trailer,
/// and the descriptions joined in the status detail for clients that read only that.
/// </summary>
internal sealed class GrpcValidation
{
    public const string StatusDetailsTrailer = "grpc-status-details-bin";

    private readonly BadRequest _badRequest = new();

    public GrpcValidation Require(bool condition, string field, string description)
    {
        if (!condition)
        {
            _badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });
        }

        return this;
    }

    public GrpcValidation RequireText(string value, int maxLength, string field, [CallerArgumentExpression(nameof(value))] string? expression = null)
    {
        _ = expression;
        return Require(value.Length > 0, field, $"{field} is required.")
            .Require(value.Length <= maxLength, field, $"{field} is longer than {maxLength} characters.");
    }

    public GrpcValidation Limit(string value, int maxLength, string field) =>
        Require(value.Length <= maxLength, field, $"{field} is longer than {maxLength} characters.");

    public void ThrowIfInvalid()
    {
        if (_badRequest.FieldViolations.Count == 0)
        {
            return;
        }

        var detail = string.Join(" ", _badRequest.FieldViolations.Select(v => v.Description));
        var status = new Rpc.Status { Code = (int)StatusCode.InvalidArgument, Message = detail };
        status.Details.Add(Any.Pack(_badRequest));
        throw new RpcException(new Status(StatusCode.InvalidArgument, detail), new Metadata { { StatusDetailsTrailer, status.ToByteArray() } });
    }
}
