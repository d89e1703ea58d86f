-- Prior state: language and source domain of published articles (for drift checks).
SELECT language, source_domain FROM articles;
