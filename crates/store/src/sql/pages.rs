//! Pages of one's own, the vendors they show, and their subscribers.

use super::{Db, This};

impl This {
    async fn subscriber_by_token(
        &self,
        slug: &str,
        token: &str,
    ) -> crate::Result<crate::Subscriber> {
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM page_subscribers WHERE token = ",
            crate::rows::SUBSCRIBER_COLUMNS
        ));
        q.push_bind(token).push(" AND slug = ").push_bind(slug);
        let row: Option<crate::rows::SubscriberRow> =
            q.build_query_as().fetch_optional(&self.pool).await?;
        row.ok_or_else(|| {
            crate::StoreError::NotFound(
                "no subscription has this link; it may have been cancelled".into(),
            )
        })?
        .try_into()
    }
}

#[async_trait::async_trait]
impl crate::PageStore for This {
    async fn add_page_external(
        &self,
        slug: &str,
        external: &crate::PageExternal,
    ) -> crate::Result<()> {
        let mut tx = self.begin_write().await?;
        let mut q =
            sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM page_externals WHERE slug = ");
        q.push_bind(slug)
            .push(" AND source_id = ")
            .push_bind(external.source_id)
            .push(" AND component = ")
            .push_bind(external.component.clone().unwrap_or_default());
        let taken: i64 = q.build_query_scalar().fetch_one(&mut *tx).await?;
        if taken > 0 {
            return Err(crate::StoreError::Conflict(format!(
                "`{}` is already on the page `{slug}`",
                external.label
            )));
        }
        let mut q = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO page_externals (slug, source_id, component, label, position) \
             SELECT ",
        );
        let mut v = q.separated(", ");
        v.push_bind(slug)
            .push_bind(external.source_id)
            .push_bind(external.component.clone().unwrap_or_default())
            .push_bind(&external.label);
        q.push(", COALESCE(MAX(position), 0) + 1 FROM page_externals WHERE slug = ")
            .push_bind(slug);
        q.build().execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn page_externals(&self, slug: &str) -> crate::Result<Vec<crate::PageExternal>> {
        let mut q = sqlx::QueryBuilder::<Db>::new(
            "SELECT source_id, component, label FROM page_externals WHERE slug = ",
        );
        q.push_bind(slug).push(" ORDER BY position");
        let rows: Vec<(i64, String, String)> = q.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|(source_id, component, label)| crate::PageExternal {
                source_id,
                component: (!component.is_empty()).then_some(component),
                label,
            })
            .collect())
    }

    async fn remove_page_external(&self, slug: &str, label: &str) -> crate::Result<()> {
        let mut q = sqlx::QueryBuilder::<Db>::new("DELETE FROM page_externals WHERE slug = ");
        q.push_bind(slug).push(" AND label = ").push_bind(label);
        if q.build().execute(&self.pool).await?.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound(format!(
                "the page `{slug}` shows no `{label}`"
            )));
        }
        Ok(())
    }

    async fn rename_page(&self, slug: &str, title: &str) -> crate::Result<()> {
        let mut tx = self.begin_write().await?;
        let mut q = sqlx::QueryBuilder::<Db>::new("SELECT source_id FROM pages WHERE slug = ");
        q.push_bind(slug);
        let Some(source_id): Option<i64> = q.build_query_scalar().fetch_optional(&mut *tx).await?
        else {
            return Err(crate::StoreError::NotFound(format!("page `{slug}`")));
        };
        let mut q = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM sources WHERE name = ");
        q.push_bind(title).push(" AND id <> ").push_bind(source_id);
        let taken: i64 = q.build_query_scalar().fetch_one(&mut *tx).await?;
        if taken > 0 {
            return Err(crate::StoreError::Conflict(format!(
                "a source named `{title}` exists"
            )));
        }
        let mut q = sqlx::QueryBuilder::<Db>::new("UPDATE pages SET title = ");
        q.push_bind(title).push(" WHERE slug = ").push_bind(slug);
        q.build().execute(&mut *tx).await?;
        let mut q = sqlx::QueryBuilder::<Db>::new("UPDATE sources SET name = ");
        q.push_bind(title)
            .push(", provider = ")
            .push_bind(title)
            .push(" WHERE id = ")
            .push_bind(source_id);
        q.build().execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add_page(
        &self,
        slug: &str,
        title: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<crate::Page> {
        let mut tx = self.begin_write().await?;
        let mut q = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM pages WHERE slug = ");
        q.push_bind(slug);
        let taken: i64 = q.build_query_scalar().fetch_one(&mut *tx).await?;
        if taken > 0 {
            return Err(crate::StoreError::Conflict(format!(
                "a page `{slug}` exists"
            )));
        }
        // Known (baselined, read now), operational until it says
        // otherwise, and never due: it is written, not polled.
        let mut q = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO sources (name, url, platform, provider, created_at, next_poll_at, \
             last_poll_at, last_outcome, baselined, components, component_state) VALUES (",
        );
        let mut v = q.separated(", ");
        v.push_bind(title)
            .push_bind(format!("page:{slug}"))
            .push_bind(crate::PAGE_PLATFORM)
            .push_bind(title)
            .push_bind(crate::ms(now))
            .push_bind(crate::NEVER_DUE_MS)
            .push_bind(crate::ms(now))
            .push_bind(crate::PollOutcome::Ok.as_str())
            .push_bind(true)
            .push_bind("[]");
        v.push("NULL");
        q.push(") RETURNING id");
        let id: i64 = q.build_query_scalar().fetch_one(&mut *tx).await?;
        let mut q = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO pages (slug, title, source_id, created_at) VALUES (",
        );
        let mut v = q.separated(", ");
        v.push_bind(slug)
            .push_bind(title)
            .push_bind(id)
            .push_bind(crate::ms(now));
        q.push(")");
        q.build().execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(crate::Page {
            slug: slug.to_string(),
            title: title.to_string(),
            source_id: id,
            created_at: crate::stored(now),
            access_hash: None,
            logo_url: None,
            accent: None,
        })
    }

    async fn pages(&self) -> crate::Result<Vec<crate::Page>> {
        let rows: Vec<crate::rows::PageRow> = sqlx::query_as(&format!(
            "SELECT {} FROM pages ORDER BY slug",
            crate::rows::PAGE_COLUMNS
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn page(&self, slug: &str) -> crate::Result<Option<crate::Page>> {
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM pages WHERE slug = ",
            crate::rows::PAGE_COLUMNS
        ));
        q.push_bind(slug);
        let row: Option<crate::rows::PageRow> =
            q.build_query_as().fetch_optional(&self.pool).await?;
        row.map(TryInto::try_into).transpose()
    }

    async fn page_revision(&self, slug: &str) -> crate::Result<Option<crate::PageRevision>> {
        let mut q = sqlx::QueryBuilder::<Db>::new(
            "SELECT p.revision, CAST((SELECT COALESCE(SUM(s.revision), 0) FROM sources s \
             WHERE s.id = p.source_id OR s.id IN \
             (SELECT e.source_id FROM page_externals e WHERE e.slug = p.slug)) AS BIGINT) \
             FROM pages p WHERE p.slug = ",
        );
        q.push_bind(slug);
        let row: Option<(i64, i64)> = q.build_query_as().fetch_optional(&self.pool).await?;
        Ok(row.map(|(page, sources)| crate::PageRevision { page, sources }))
    }

    async fn set_page_access(&self, slug: &str, access_hash: Option<&str>) -> crate::Result<()> {
        let mut q = sqlx::QueryBuilder::<Db>::new("UPDATE pages SET access_hash = ");
        q.push_bind(access_hash)
            .push(" WHERE slug = ")
            .push_bind(slug);
        if q.build().execute(&self.pool).await?.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound(format!("page `{slug}`")));
        }
        Ok(())
    }

    async fn set_page_look(
        &self,
        slug: &str,
        logo_url: Option<&str>,
        accent: Option<&str>,
    ) -> crate::Result<()> {
        let mut q = sqlx::QueryBuilder::<Db>::new("UPDATE pages SET logo_url = ");
        q.push_bind(logo_url)
            .push(", accent = ")
            .push_bind(accent)
            .push(" WHERE slug = ")
            .push_bind(slug);
        if q.build().execute(&self.pool).await?.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound(format!("page `{slug}`")));
        }
        Ok(())
    }

    async fn private_sources(&self) -> crate::Result<Vec<crate::SourceId>> {
        Ok(
            sqlx::query_scalar("SELECT source_id FROM pages WHERE access_hash IS NOT NULL")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    async fn add_subscriber(&self, s: &crate::Subscriber) -> crate::Result<crate::Subscriber> {
        let mut tx = self.begin_write().await?;
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM page_subscribers WHERE slug = ",
            crate::rows::SUBSCRIBER_COLUMNS
        ));
        q.push_bind(&s.slug)
            .push(" AND lower(email) = lower(")
            .push_bind(&s.email)
            .push(")");
        let found: Option<crate::rows::SubscriberRow> =
            q.build_query_as().fetch_optional(&mut *tx).await?;
        let components = serde_json::to_string(&s.components)?;
        match found {
            Some(row) => {
                let existing: crate::Subscriber = row.try_into()?;
                if existing.confirmed_at.is_some() {
                    return Ok(existing);
                }
                let mut q =
                    sqlx::QueryBuilder::<Db>::new("UPDATE page_subscribers SET components = ");
                q.push_bind(&components)
                    .push(", token = ")
                    .push_bind(&s.token)
                    .push(", created_at = ")
                    .push_bind(crate::ms(s.created_at))
                    .push(" WHERE id = ")
                    .push_bind(&existing.id);
                q.build().execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(crate::Subscriber {
                    components: s.components.clone(),
                    token: s.token.clone(),
                    created_at: crate::stored(s.created_at),
                    ..existing
                })
            }
            None => {
                let mut q = sqlx::QueryBuilder::<Db>::new(
                    "INSERT INTO page_subscribers (id, slug, email, components, token, \
                     created_at, confirmed_at) VALUES (",
                );
                let mut v = q.separated(", ");
                v.push_bind(&s.id)
                    .push_bind(&s.slug)
                    .push_bind(&s.email)
                    .push_bind(&components)
                    .push_bind(&s.token)
                    .push_bind(crate::ms(s.created_at))
                    .push_bind(s.confirmed_at.map(crate::ms));
                q.push(")");
                q.build().execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(crate::Subscriber {
                    created_at: crate::stored(s.created_at),
                    confirmed_at: s.confirmed_at.map(crate::stored),
                    ..s.clone()
                })
            }
        }
    }

    async fn confirm_subscriber(
        &self,
        slug: &str,
        token: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<crate::Subscriber> {
        let mut q = sqlx::QueryBuilder::<Db>::new(
            "UPDATE page_subscribers SET confirmed_at = COALESCE(confirmed_at, ",
        );
        q.push_bind(crate::ms(now))
            .push(") WHERE token = ")
            .push_bind(token)
            .push(" AND slug = ")
            .push_bind(slug);
        if q.build().execute(&self.pool).await?.rows_affected() == 0 {
            return Err(crate::StoreError::NotFound(
                "no subscription has this link; it may have been cancelled".into(),
            ));
        }
        self.subscriber_by_token(slug, token).await
    }

    async fn remove_subscriber(&self, slug: &str, token: &str) -> crate::Result<crate::Subscriber> {
        let s = self.subscriber_by_token(slug, token).await?;
        let mut q = sqlx::QueryBuilder::<Db>::new("DELETE FROM page_subscribers WHERE token = ");
        q.push_bind(token).push(" AND slug = ").push_bind(slug);
        q.build().execute(&self.pool).await?;
        Ok(s)
    }

    async fn subscriber(&self, id: &str) -> crate::Result<Option<crate::Subscriber>> {
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM page_subscribers WHERE id = ",
            crate::rows::SUBSCRIBER_COLUMNS
        ));
        q.push_bind(id);
        let row: Option<crate::rows::SubscriberRow> =
            q.build_query_as().fetch_optional(&self.pool).await?;
        row.map(TryInto::try_into).transpose()
    }

    async fn subscribers(&self, slug: &str) -> crate::Result<Vec<crate::Subscriber>> {
        let mut q = sqlx::QueryBuilder::<Db>::new(format!(
            "SELECT {} FROM page_subscribers WHERE slug = ",
            crate::rows::SUBSCRIBER_COLUMNS
        ));
        q.push_bind(slug).push(" ORDER BY created_at, id");
        let rows: Vec<crate::rows::SubscriberRow> =
            q.build_query_as().fetch_all(&self.pool).await?;
        crate::rows::convert(rows)
    }
}
