using SensorGateway.Modbus.Client;

namespace SensorGateway.Modbus.Tests;

public class ModbusBackoffTests
{
    [Fact]
    public void BackoffDelay_ManyFailures_DoublesWithJitterAndStaysUnderCap()
    {
        var initial = TimeSpan.FromMilliseconds(100);
        var max = TimeSpan.FromSeconds(30);
        for (var failures = 1; failures <= 60; failures++)
        {
            var nominal = Math.Min(max.Ticks, initial.Ticks * Math.Pow(2, Math.Min(failures - 1, 30)));
            for (var sample = 0; sample < 50; sample++)
            {
                var delay = ModbusOptionChecks.BackoffDelay(failures, initial, max);
                Assert.InRange(delay.Ticks, (long)(nominal * 0.5), (long)nominal);
            }
        }
    }
}
