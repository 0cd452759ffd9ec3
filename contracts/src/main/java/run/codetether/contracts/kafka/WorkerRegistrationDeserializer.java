package run.codetether.contracts.kafka;

import run.codetether.contracts.worker.WorkerRegistration;

public class WorkerRegistrationDeserializer extends ContractDeserializer<WorkerRegistration> {
    public WorkerRegistrationDeserializer() {
        super(WorkerRegistration.class);
    }
}
