package io.dbcomposite.spring.app;

import org.springframework.data.repository.CrudRepository;

public interface DraftRepository extends CrudRepository<Draft, String> {
}
