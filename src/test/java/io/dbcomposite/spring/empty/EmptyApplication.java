package io.dbcomposite.spring.empty;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application without entities: the composite unit stays away even with a remote configured. */
@SpringBootApplication
public class EmptyApplication {
}
