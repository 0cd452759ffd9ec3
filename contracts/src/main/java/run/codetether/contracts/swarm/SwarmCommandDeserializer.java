package run.codetether.contracts.swarm;

import run.codetether.contracts.kafka.ContractDeserializer;

public class SwarmCommandDeserializer extends ContractDeserializer<SwarmCommand> {
    public SwarmCommandDeserializer() {
        super(SwarmCommand.class);
    }
}
