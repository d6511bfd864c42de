//! The one implementation of [`Store`](crate::Store) both backends share.
//!
//! Every statement is built with `QueryBuilder`, which writes each backend's
//! placeholders, so the SQL is written once. What differs per backend is
//! given by the backend's type: `begin_write` (how a writing transaction
//! starts) and `CLAIM_LOCK` (how due rows are locked while claimed).

/// Implements `Store` for `$store` (which has a `pool` of `$db` and the
/// inherent items `begin_write` and `CLAIM_LOCK`).
macro_rules! impl_store {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Inserts an event of an incident and its outbox rows; returns how
            /// many outbox rows were written.
            async fn insert_event(
                tx: &mut sqlx::Transaction<'static, $db>,
                incident_id: &str,
                source_id: i64,
                e: &$crate::NewEvent,
                incident_body: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<usize> {
                let event_id = $crate::rows::new_id();
                let update = e.update.as_ref().map(serde_json::to_string).transpose()?;
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO events (id, incident_id, source_id, kind, occurred_at, \
                     created_at, update_body, incident) VALUES (",
                );
                let mut v = q.separated(", ");
                v.push_bind(&event_id)
                    .push_bind(incident_id)
                    .push_bind(source_id)
                    .push_bind(e.kind.as_str())
                    .push_bind($crate::ms(e.occurred_at))
                    .push_bind($crate::ms(at))
                    .push_bind(update)
                    .push_bind(incident_body);
                q.push(")");
                q.build().execute(&mut **tx).await?;
                for channel in &e.channels {
                    let mut q = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO deliveries (event_id, incident_id, channel, \
                         next_attempt_at, created_at) VALUES (",
                    );
                    let mut v = q.separated(", ");
                    v.push_bind(&event_id)
                        .push_bind(incident_id)
                        .push_bind(channel)
                        .push_bind($crate::ms(at))
                        .push_bind($crate::ms(at));
                    q.push(")");
                    q.build().execute(&mut **tx).await?;
                }
                Ok(e.channels.len())
            }

            async fn subscriber_by_token(&self, slug: &str, token: &str) -> $crate::Result<$crate::Subscriber> {
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM page_subscribers WHERE token = ",
                    $crate::rows::SUBSCRIBER_COLUMNS
                ));
                q.push_bind(token).push(" AND slug = ").push_bind(slug);
                let row: Option<$crate::rows::SubscriberRow> =
                    q.build_query_as().fetch_optional(&self.pool).await?;
                row.ok_or_else(|| {
                    $crate::StoreError::NotFound(
                        "no subscription has this link; it may have been cancelled".into(),
                    )
                })?
                .try_into()
            }

            /// Moves credentials written in stored sources' URLs (rows of
            /// releases before migration 0012) to `auth`; once, at open.
            pub(crate) async fn split_stored_credentials(&self) -> $crate::Result<()> {
                let rows: Vec<(i64, String)> = sqlx::query_as(
                    "SELECT id, url FROM sources WHERE auth IS NULL AND url LIKE '%@%'",
                )
                .fetch_all(&self.pool)
                .await?;
                let split: Vec<(i64, String, String)> = rows
                    .into_iter()
                    .filter_map(|(id, url)| {
                        let (bare, auth) = $crate::split_credentials(&url);
                        auth.map(|a| (id, bare, a))
                    })
                    .collect();
                if split.is_empty() {
                    return Ok(());
                }
                let mut tx = self.begin_write().await?;
                for (id, url, auth) in split {
                    let mut q = sqlx::QueryBuilder::<$db>::new("UPDATE sources SET url = ");
                    q.push_bind(url)
                        .push(", auth = ")
                        .push_bind(auth)
                        .push(" WHERE id = ")
                        .push_bind(id);
                    q.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            /// Fills `component_state` for sources stored before it existed
            /// (migration 0007), from their component lists; once, at open.
            pub(crate) async fn backfill_component_states(&self) -> $crate::Result<()> {
                let rows: Vec<(i64, String)> = sqlx::query_as(
                    "SELECT id, components FROM sources WHERE component_state IS NULL AND components <> '[]'",
                )
                .fetch_all(&self.pool)
                .await?;
                if rows.is_empty() {
                    return Ok(());
                }
                let mut tx = self.begin_write().await?;
                for (id, components) in rows {
                    let list: Vec<statuswatch_model::ComponentState> =
                        serde_json::from_str(&components).unwrap_or_default();
                    let worst = statuswatch_model::ComponentStatus::worst(list.iter().map(|c| c.state));
                    let Some(worst) = worst else { continue };
                    let mut q = sqlx::QueryBuilder::<$db>::new("UPDATE sources SET component_state = ");
                    q.push_bind(worst.as_str()).push(" WHERE id = ").push_bind(id);
                    q.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            /// Applies one poll in `tx`; `None` when its source is gone.
            async fn apply_one(
                tx: &mut sqlx::Transaction<'static, $db>,
                p: $crate::PollRecord,
            ) -> $crate::Result<Option<$crate::AppliedPoll>> {
                let components = p.components.as_ref().map(serde_json::to_string).transpose()?;
                let worst = p.components.as_ref().map(|c| {
                    statuswatch_model::ComponentStatus::worst(c.iter().map(|c| c.state))
                        .map(|s| s.as_str())
                });
                let mut q = sqlx::QueryBuilder::<$db>::new("UPDATE sources SET provider = COALESCE(");
                q.push_bind(&p.provider)
                    .push(", provider), components = COALESCE(")
                    .push_bind(&components)
                    .push(", components), component_state = ");
                match worst {
                    Some(w) => q.push_bind(w),
                    None => q.push("component_state"),
                };
                q.push(", fetch_state = ")
                    .push_bind(&p.fetch_state)
                    .push(", last_item_count = COALESCE(")
                    .push_bind(p.item_count)
                    .push(", last_item_count), baselined = ")
                    .push_bind(true)
                    .push(", last_poll_at = ")
                    .push_bind($crate::ms(p.at))
                    .push(", last_outcome = ")
                    .push_bind(p.outcome.as_str())
                    .push(", consecutive_failures = 0, last_error = NULL, last_warning = ")
                    .push_bind(&p.warning)
                    .push(", next_poll_at = ")
                    .push_bind($crate::ms(p.next_poll_at))
                    .push(" WHERE id = ")
                    .push_bind(p.source_id);
                if q.build().execute(&mut **tx).await?.rows_affected() == 0 {
                    return Ok(None);
                }
                let mut applied = $crate::AppliedPoll::default();
                for w in &p.writes {
                    let body = serde_json::to_string(&w.incident)?;
                    let started = w.incident.started_at.map($crate::ms);
                    let id = match &w.existing_id {
                        Some(id) => {
                            let mut q =
                                sqlx::QueryBuilder::<$db>::new("UPDATE incidents SET status = ");
                            q.push_bind(w.incident.status.as_str())
                                .push(", started_at = ")
                                .push_bind(started)
                                .push(", scheduled_for = ")
                                .push_bind(w.incident.scheduled_for.map($crate::ms))
                                .push(", kind = ")
                                .push_bind(w.incident.kind.as_str())
                                .push(", impact = ")
                                .push_bind(w.incident.impact.map(|i| i.as_str()))
                                .push(", resolved_at = ")
                                .push_bind(w.incident.resolved_at.map($crate::ms))
                                .push(", search_text = ")
                                .push_bind($crate::rows::search_text(&w.incident))
                                .push(", updated_at = ")
                                .push_bind($crate::ms(p.at))
                                .push(", body = ")
                                .push_bind(&body)
                                .push(" WHERE id = ")
                                .push_bind(id);
                            q.build().execute(&mut **tx).await?;
                            applied.updated += 1;
                            id.clone()
                        }
                        None => {
                            let id = $crate::rows::new_id();
                            let mut q = sqlx::QueryBuilder::<$db>::new(
                                "INSERT INTO incidents (id, source_id, vendor_id, status, \
                                 started_at, detected_at, updated_at, body, scheduled_for, kind, impact, \
                                 resolved_at, search_text) VALUES (",
                            );
                            let mut v = q.separated(", ");
                            v.push_bind(&id)
                                .push_bind(p.source_id)
                                .push_bind(&w.incident.vendor_id)
                                .push_bind(w.incident.status.as_str())
                                .push_bind(started)
                                .push_bind($crate::ms(p.at))
                                .push_bind($crate::ms(p.at))
                                .push_bind(&body)
                                .push_bind(w.incident.scheduled_for.map($crate::ms))
                                .push_bind(w.incident.kind.as_str())
                                .push_bind(w.incident.impact.map(|i| i.as_str()))
                                .push_bind(w.incident.resolved_at.map($crate::ms))
                                .push_bind($crate::rows::search_text(&w.incident));
                            q.push(")");
                            q.build().execute(&mut **tx).await?;
                            applied.inserted += 1;
                            id
                        }
                    };
                    for e in &w.events {
                        applied.deliveries +=
                            Self::insert_event(tx, &id, p.source_id, e, &body, p.at).await?;
                        applied.events += 1;
                    }
                }
                Ok(Some(applied))
            }
        }

        #[async_trait::async_trait]
        impl $crate::Store for $store {
            async fn add_page_external(
                &self,
                slug: &str,
                external: &$crate::PageExternal,
            ) -> $crate::Result<()> {
                let mut tx = self.begin_write().await?;
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT COUNT(*) FROM page_externals WHERE slug = ",
                );
                q.push_bind(slug)
                    .push(" AND source_id = ")
                    .push_bind(external.source_id)
                    .push(" AND component = ")
                    .push_bind(external.component.clone().unwrap_or_default());
                let taken: i64 = q.build_query_scalar().fetch_one(&mut *tx).await?;
                if taken > 0 {
                    return Err($crate::StoreError::Conflict(format!(
                        "`{}` is already on the page `{slug}`",
                        external.label
                    )));
                }
                let mut q = sqlx::QueryBuilder::<$db>::new(
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

            async fn page_externals(
                &self,
                slug: &str,
            ) -> $crate::Result<Vec<$crate::PageExternal>> {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT source_id, component, label FROM page_externals WHERE slug = ",
                );
                q.push_bind(slug).push(" ORDER BY position");
                let rows: Vec<(i64, String, String)> =
                    q.build_query_as().fetch_all(&self.pool).await?;
                Ok(rows
                    .into_iter()
                    .map(|(source_id, component, label)| $crate::PageExternal {
                        source_id,
                        component: (!component.is_empty()).then_some(component),
                        label,
                    })
                    .collect())
            }

            async fn remove_page_external(&self, slug: &str, label: &str) -> $crate::Result<()> {
                let mut q =
                    sqlx::QueryBuilder::<$db>::new("DELETE FROM page_externals WHERE slug = ");
                q.push_bind(slug).push(" AND label = ").push_bind(label);
                if q.build().execute(&self.pool).await?.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound(format!(
                        "the page `{slug}` shows no `{label}`"
                    )));
                }
                Ok(())
            }

            async fn rename_page(&self, slug: &str, title: &str) -> $crate::Result<()> {
                let mut tx = self.begin_write().await?;
                let mut q =
                    sqlx::QueryBuilder::<$db>::new("SELECT source_id FROM pages WHERE slug = ");
                q.push_bind(slug);
                let Some(source_id): Option<i64> =
                    q.build_query_scalar().fetch_optional(&mut *tx).await?
                else {
                    return Err($crate::StoreError::NotFound(format!("page `{slug}`")));
                };
                let mut q =
                    sqlx::QueryBuilder::<$db>::new("SELECT COUNT(*) FROM sources WHERE name = ");
                q.push_bind(title).push(" AND id <> ").push_bind(source_id);
                let taken: i64 = q.build_query_scalar().fetch_one(&mut *tx).await?;
                if taken > 0 {
                    return Err($crate::StoreError::Conflict(format!(
                        "a source named `{title}` exists"
                    )));
                }
                let mut q = sqlx::QueryBuilder::<$db>::new("UPDATE pages SET title = ");
                q.push_bind(title).push(" WHERE slug = ").push_bind(slug);
                q.build().execute(&mut *tx).await?;
                let mut q = sqlx::QueryBuilder::<$db>::new("UPDATE sources SET name = ");
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
            ) -> $crate::Result<$crate::Page> {
                let mut tx = self.begin_write().await?;
                let mut q = sqlx::QueryBuilder::<$db>::new("SELECT COUNT(*) FROM pages WHERE slug = ");
                q.push_bind(slug);
                let taken: i64 = q.build_query_scalar().fetch_one(&mut *tx).await?;
                if taken > 0 {
                    return Err($crate::StoreError::Conflict(format!("a page `{slug}` exists")));
                }
                // Known (baselined, read now), operational until it says
                // otherwise, and never due: it is written, not polled.
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO sources (name, url, platform, provider, created_at, next_poll_at, \
                     last_poll_at, last_outcome, baselined, components, component_state) VALUES (",
                );
                let mut v = q.separated(", ");
                v.push_bind(title)
                    .push_bind(format!("page:{slug}"))
                    .push_bind($crate::PAGE_PLATFORM)
                    .push_bind(title)
                    .push_bind($crate::ms(now))
                    .push_bind($crate::NEVER_DUE_MS)
                    .push_bind($crate::ms(now))
                    .push_bind($crate::PollOutcome::Ok.as_str())
                    .push_bind(true)
                    .push_bind("[]");
                v.push("NULL");
                q.push(") RETURNING id");
                let id: i64 = q.build_query_scalar().fetch_one(&mut *tx).await?;
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO pages (slug, title, source_id, created_at) VALUES (",
                );
                let mut v = q.separated(", ");
                v.push_bind(slug).push_bind(title).push_bind(id).push_bind($crate::ms(now));
                q.push(")");
                q.build().execute(&mut *tx).await?;
                tx.commit().await?;
                Ok($crate::Page {
                    slug: slug.to_string(),
                    title: title.to_string(),
                    source_id: id,
                    created_at: $crate::from_ms($crate::ms(now)),
                    access_hash: None,
                    logo_url: None,
                    accent: None,
                })
            }

            async fn pages(&self) -> $crate::Result<Vec<$crate::Page>> {
                let rows: Vec<$crate::rows::PageRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM pages ORDER BY slug",
                    $crate::rows::PAGE_COLUMNS
                ))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn page(&self, slug: &str) -> $crate::Result<Option<$crate::Page>> {
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM pages WHERE slug = ",
                    $crate::rows::PAGE_COLUMNS
                ));
                q.push_bind(slug);
                let row: Option<$crate::rows::PageRow> =
                    q.build_query_as().fetch_optional(&self.pool).await?;
                Ok(row.map(Into::into))
            }

            async fn set_page_access(
                &self,
                slug: &str,
                access_hash: Option<&str>,
            ) -> $crate::Result<()> {
                let mut q = sqlx::QueryBuilder::<$db>::new("UPDATE pages SET access_hash = ");
                q.push_bind(access_hash).push(" WHERE slug = ").push_bind(slug);
                if q.build().execute(&self.pool).await?.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound(format!("page `{slug}`")));
                }
                Ok(())
            }

            async fn set_page_look(
                &self,
                slug: &str,
                logo_url: Option<&str>,
                accent: Option<&str>,
            ) -> $crate::Result<()> {
                let mut q = sqlx::QueryBuilder::<$db>::new("UPDATE pages SET logo_url = ");
                q.push_bind(logo_url)
                    .push(", accent = ")
                    .push_bind(accent)
                    .push(" WHERE slug = ")
                    .push_bind(slug);
                if q.build().execute(&self.pool).await?.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound(format!("page `{slug}`")));
                }
                Ok(())
            }

            async fn private_sources(&self) -> $crate::Result<Vec<$crate::SourceId>> {
                Ok(sqlx::query_scalar("SELECT source_id FROM pages WHERE access_hash IS NOT NULL")
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn add_subscriber(
                &self,
                s: &$crate::Subscriber,
            ) -> $crate::Result<$crate::Subscriber> {
                let mut tx = self.begin_write().await?;
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM page_subscribers WHERE slug = ",
                    $crate::rows::SUBSCRIBER_COLUMNS
                ));
                q.push_bind(&s.slug)
                    .push(" AND lower(email) = lower(")
                    .push_bind(&s.email)
                    .push(")");
                let found: Option<$crate::rows::SubscriberRow> =
                    q.build_query_as().fetch_optional(&mut *tx).await?;
                let components = serde_json::to_string(&s.components)?;
                match found {
                    Some(row) => {
                        let existing: $crate::Subscriber = row.try_into()?;
                        if existing.confirmed_at.is_some() {
                            return Ok(existing);
                        }
                        let mut q = sqlx::QueryBuilder::<$db>::new(
                            "UPDATE page_subscribers SET components = ",
                        );
                        q.push_bind(&components)
                            .push(", token = ")
                            .push_bind(&s.token)
                            .push(", created_at = ")
                            .push_bind($crate::ms(s.created_at))
                            .push(" WHERE id = ")
                            .push_bind(&existing.id);
                        q.build().execute(&mut *tx).await?;
                        tx.commit().await?;
                        Ok($crate::Subscriber {
                            components: s.components.clone(),
                            token: s.token.clone(),
                            created_at: $crate::from_ms($crate::ms(s.created_at)),
                            ..existing
                        })
                    }
                    None => {
                        let mut q = sqlx::QueryBuilder::<$db>::new(
                            "INSERT INTO page_subscribers (id, slug, email, components, token, \
                             created_at, confirmed_at) VALUES (",
                        );
                        let mut v = q.separated(", ");
                        v.push_bind(&s.id)
                            .push_bind(&s.slug)
                            .push_bind(&s.email)
                            .push_bind(&components)
                            .push_bind(&s.token)
                            .push_bind($crate::ms(s.created_at))
                            .push_bind(s.confirmed_at.map($crate::ms));
                        q.push(")");
                        q.build().execute(&mut *tx).await?;
                        tx.commit().await?;
                        Ok($crate::Subscriber {
                            created_at: $crate::from_ms($crate::ms(s.created_at)),
                            confirmed_at: s.confirmed_at.map(|t| $crate::from_ms($crate::ms(t))),
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
            ) -> $crate::Result<$crate::Subscriber> {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "UPDATE page_subscribers SET confirmed_at = COALESCE(confirmed_at, ",
                );
                q.push_bind($crate::ms(now))
                    .push(") WHERE token = ")
                    .push_bind(token)
                    .push(" AND slug = ")
                    .push_bind(slug);
                if q.build().execute(&self.pool).await?.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound(
                        "no subscription has this link; it may have been cancelled".into(),
                    ));
                }
                self.subscriber_by_token(slug, token).await
            }

            async fn remove_subscriber(&self, slug: &str, token: &str) -> $crate::Result<$crate::Subscriber> {
                let s = self.subscriber_by_token(slug, token).await?;
                let mut q =
                    sqlx::QueryBuilder::<$db>::new("DELETE FROM page_subscribers WHERE token = ");
                q.push_bind(token).push(" AND slug = ").push_bind(slug);
                q.build().execute(&self.pool).await?;
                Ok(s)
            }

            async fn subscriber(&self, id: &str) -> $crate::Result<Option<$crate::Subscriber>> {
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM page_subscribers WHERE id = ",
                    $crate::rows::SUBSCRIBER_COLUMNS
                ));
                q.push_bind(id);
                let row: Option<$crate::rows::SubscriberRow> =
                    q.build_query_as().fetch_optional(&self.pool).await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn subscribers(&self, slug: &str) -> $crate::Result<Vec<$crate::Subscriber>> {
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM page_subscribers WHERE slug = ",
                    $crate::rows::SUBSCRIBER_COLUMNS
                ));
                q.push_bind(slug).push(" ORDER BY created_at, id");
                let rows: Vec<$crate::rows::SubscriberRow> =
                    q.build_query_as().fetch_all(&self.pool).await?;
                $crate::rows::convert(rows)
            }

            async fn add_source(
                &self,
                s: $crate::NewSource,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<$crate::Source> {
                // Credentials in the URL are kept apart, never shown with it.
                let (url, auth) = $crate::split_credentials(&s.url);
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO sources (name, url, platform, provider, created_at, next_poll_at, on_behalf, auth) VALUES (",
                );
                let mut v = q.separated(", ");
                v.push_bind(&s.name)
                    .push_bind(&url)
                    .push_bind(&s.platform)
                    .push_bind(&s.provider)
                    .push_bind($crate::ms(now))
                    .push_bind($crate::ms(now))
                    .push_bind(s.on_behalf)
                    .push_bind(auth);
                q.push(") RETURNING id");
                let id: i64 = q.build_query_scalar().fetch_one(&self.pool).await?;
                self.source(id).await
            }

            async fn source(&self, id: $crate::SourceId) -> $crate::Result<$crate::Source> {
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM sources WHERE id = ",
                    $crate::rows::SOURCE_COLUMNS
                ));
                q.push_bind(id);
                let row: Option<$crate::rows::SourceRow> =
                    q.build_query_as().fetch_optional(&self.pool).await?;
                row.ok_or_else(|| $crate::StoreError::NotFound(format!("source {id}")))?
                    .try_into()
            }

            async fn source_by_url(&self, url: &str) -> $crate::Result<Option<$crate::Source>> {
                let (url, _) = $crate::split_credentials(url);
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM sources WHERE url = ",
                    $crate::rows::SOURCE_COLUMNS
                ));
                q.push_bind(url);
                let row: Option<$crate::rows::SourceRow> =
                    q.build_query_as().fetch_optional(&self.pool).await?;
                row.map($crate::Source::try_from).transpose()
            }

            async fn sources(&self) -> $crate::Result<Vec<$crate::Source>> {
                let rows: Vec<$crate::rows::SourceRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM sources ORDER BY id",
                    $crate::rows::SOURCE_COLUMNS
                ))
                .fetch_all(&self.pool)
                .await?;
                $crate::rows::convert(rows)
            }

            async fn set_paused(&self, id: $crate::SourceId, paused: bool) -> $crate::Result<$crate::Source> {
                let mut q = sqlx::QueryBuilder::<$db>::new("UPDATE sources SET paused = ");
                q.push_bind(paused).push(" WHERE id = ").push_bind(id);
                if q.build().execute(&self.pool).await?.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound(format!("source {id}")));
                }
                self.source(id).await
            }

            async fn remove_source(&self, id: $crate::SourceId) -> $crate::Result<()> {
                let mut tx = self.begin_write().await?;
                for table in ["deliveries", "events", "incidents"] {
                    let mut q = sqlx::QueryBuilder::<$db>::new(format!("DELETE FROM {table} WHERE "));
                    if table == "deliveries" {
                        q.push("incident_id IN (SELECT id FROM incidents WHERE source_id = ")
                            .push_bind(id)
                            .push(")");
                    } else {
                        q.push("source_id = ").push_bind(id);
                    }
                    q.build().execute(&mut *tx).await?;
                }
                let mut q = sqlx::QueryBuilder::<$db>::new("DELETE FROM sources WHERE id = ");
                q.push_bind(id);
                let gone = q.build().execute(&mut *tx).await?.rows_affected();
                if gone == 0 {
                    return Err($crate::StoreError::NotFound(format!("source {id}")));
                }
                tx.commit().await?;
                Ok(())
            }

            async fn claim_due(
                &self,
                now: chrono::DateTime<chrono::Utc>,
                lease_until: chrono::DateTime<chrono::Utc>,
                limit: u32,
            ) -> $crate::Result<Vec<$crate::Source>> {
                // `paused` is written as a literal: the partial index
                // `sources_due` (WHERE paused = 0 / NOT paused) is only used
                // when the query's condition matches it as written. The due
                // rows are read first, so each claimed source carries the
                // time it fell due (for the poll lag), then leased.
                let mut tx = self.begin_write().await?;
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM sources WHERE ",
                    $crate::rows::CLAIM_COLUMNS
                ));
                // A page of one's own is written, never polled, whatever
                // its due time says.
                q.push(Self::NOT_PAUSED)
                    .push(" AND next_poll_at <= ")
                    .push_bind($crate::ms(now))
                    .push(" AND platform <> ")
                    .push_bind($crate::PAGE_PLATFORM)
                    .push(" ORDER BY next_poll_at LIMIT ")
                    .push_bind(i64::from(limit))
                    .push(Self::CLAIM_LOCK);
                let rows: Vec<$crate::rows::SourceRow> =
                    q.build_query_as().fetch_all(&mut *tx).await?;
                if rows.is_empty() {
                    return Ok(Vec::new());
                }
                let claimed: Vec<$crate::Source> = $crate::rows::convert(rows)?;
                let mut q = sqlx::QueryBuilder::<$db>::new("UPDATE sources SET next_poll_at = ");
                q.push_bind($crate::ms(lease_until)).push(" WHERE id IN (");
                let mut ids = q.separated(", ");
                for s in &claimed {
                    ids.push_bind(s.id);
                }
                q.push(")");
                q.build().execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(claimed)
            }

            async fn cap_next_polls(
                &self,
                now: chrono::DateTime<chrono::Utc>,
                interval_ms: i64,
            ) -> $crate::Result<u64> {
                let interval_ms = interval_ms.max(1);
                let mut q = sqlx::QueryBuilder::<$db>::new("UPDATE sources SET next_poll_at = ");
                q.push_bind($crate::ms(now))
                    .push(" + (id * 7919) % ")
                    .push_bind(interval_ms)
                    .push(" WHERE consecutive_failures = 0 AND next_poll_at > ")
                    .push_bind($crate::ms(now) + interval_ms)
                    .push(" AND platform <> ")
                    .push_bind($crate::PAGE_PLATFORM);
                Ok(q.build().execute(&self.pool).await?.rows_affected())
            }

            async fn shift_schedule(
                &self,
                now: chrono::DateTime<chrono::Utc>,
                by_ms: i64,
            ) -> $crate::Result<u64> {
                let now = $crate::ms(now);
                let mut tx = self.begin_write().await?;
                let mut moved = 0;
                // Pages of one's own are never due (PAGE_PLATFORM).
                for (table, column, only) in [
                    ("sources", "next_poll_at", " AND platform <> 'page'"),
                    ("deliveries", "next_attempt_at", " AND status = 'pending'"),
                ] {
                    let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                        "UPDATE {table} SET {column} = {column} - "
                    ));
                    q.push_bind(by_ms)
                        .push(format!(" WHERE {column} > "))
                        .push_bind(now)
                        .push(only);
                    moved += q.build().execute(&mut *tx).await?.rows_affected();
                }
                tx.commit().await?;
                Ok(moved)
            }

            async fn incidents_by_vendor_ids(
                &self,
                source: $crate::SourceId,
                vendor_ids: &[String],
            ) -> $crate::Result<Vec<$crate::StoredIncident>> {
                if vendor_ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM incidents i JOIN sources s ON s.id = i.source_id \
                     WHERE i.source_id = ",
                    $crate::rows::INCIDENT_COLUMNS
                ));
                q.push_bind(source).push(" AND i.vendor_id IN (");
                let mut sep = q.separated(", ");
                for v in vendor_ids {
                    sep.push_bind(v);
                }
                q.push(")");
                let rows: Vec<$crate::rows::IncidentRow> =
                    q.build_query_as().fetch_all(&self.pool).await?;
                $crate::rows::convert(rows)
            }

            async fn apply_poll(
                &self,
                p: $crate::PollRecord,
            ) -> $crate::Result<$crate::AppliedPoll> {
                let mut tx = self.begin_write().await?;
                let source = p.source_id;
                let applied = Self::apply_one(&mut tx, p)
                    .await?
                    .ok_or_else(|| $crate::StoreError::NotFound(format!("source {source}")))?;
                tx.commit().await?;
                Ok(applied)
            }

            async fn apply_polls(&self, polls: Vec<$crate::PollRecord>) -> $crate::Result<usize> {
                if polls.is_empty() {
                    return Ok(0);
                }
                // In id order: concurrent batches lock their rows in one order.
                let mut polls = polls;
                polls.sort_by_key(|p| p.source_id);
                let mut tx = self.begin_write().await?;
                let mut applied = 0;
                for p in polls {
                    if Self::apply_one(&mut tx, p).await?.is_some() {
                        applied += 1;
                    }
                }
                tx.commit().await?;
                Ok(applied)
            }

            async fn record_failure(&self, f: $crate::FailureRecord) -> $crate::Result<()> {
                let mut q = sqlx::QueryBuilder::<$db>::new("UPDATE sources SET last_poll_at = ");
                q.push_bind($crate::ms(f.at))
                    .push(", last_outcome = ")
                    .push_bind(f.outcome.as_str())
                    .push(", last_error = ")
                    .push_bind(&f.error)
                    .push(", consecutive_failures = consecutive_failures + 1, next_poll_at = ")
                    .push_bind($crate::ms(f.next_poll_at))
                    .push(" WHERE id = ")
                    .push_bind(f.source_id);
                if q.build().execute(&self.pool).await?.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound(format!("source {}", f.source_id)));
                }
                Ok(())
            }

            async fn incidents(
                &self,
                query: &$crate::IncidentQuery,
            ) -> $crate::Result<Vec<$crate::StoredIncident>> {
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM incidents i JOIN sources s ON s.id = i.source_id WHERE 1 = 1",
                    $crate::rows::INCIDENT_COLUMNS
                ));
                if let Some(id) = query.source_id {
                    q.push(" AND i.source_id = ").push_bind(id);
                }
                if !query.include_private {
                    q.push(format!(" AND i.source_id NOT IN {}", $crate::rows::PRIVATE_SOURCES));
                }
                if query.open_only {
                    q.push(format!(" AND i.status NOT IN {}", $crate::rows::TERMINAL));
                }
                if let Some(kind) = query.kind {
                    q.push(" AND i.kind = ").push_bind(kind.as_str());
                }
                if !query.impacts.is_empty() {
                    q.push(" AND i.impact IN (");
                    let mut list = q.separated(", ");
                    for i in &query.impacts {
                        list.push_bind(i.as_str());
                    }
                    q.push(")");
                }
                if let Some(since) = query.since {
                    q.push(" AND COALESCE(i.started_at, i.detected_at) >= ").push_bind($crate::ms(since));
                }
                if let Some(until) = query.until {
                    q.push(" AND COALESCE(i.started_at, i.detected_at) < ").push_bind($crate::ms(until));
                }
                if let Some(text) = query.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    for word in text.to_lowercase().split_whitespace().take($crate::MAX_SEARCH_WORDS) {
                        let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
                        q.push(" AND i.search_text LIKE ")
                            .push_bind(format!("%{escaped}%"))
                            .push(" ESCAPE '\\'");
                    }
                }
                if let Some(p) = &query.provider {
                    q.push(" AND (lower(COALESCE(s.provider, s.name)) = lower(")
                        .push_bind(p.clone())
                        .push(") OR lower(s.name) = lower(")
                        .push_bind(p.clone())
                        .push("))");
                }
                q.push(" ORDER BY COALESCE(i.started_at, i.detected_at) DESC, i.id DESC");
                if let Some(limit) = query.limit {
                    q.push(" LIMIT ").push_bind(i64::from(limit));
                    if let Some(offset) = query.offset.filter(|o| *o > 0) {
                        q.push(" OFFSET ").push_bind(i64::from(offset));
                    }
                }
                let rows: Vec<$crate::rows::IncidentRow> =
                    q.build_query_as().fetch_all(&self.pool).await?;
                $crate::rows::convert(rows)
            }

            async fn incident(&self, id: &str) -> $crate::Result<$crate::StoredIncident> {
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM incidents i JOIN sources s ON s.id = i.source_id WHERE i.id = ",
                    $crate::rows::INCIDENT_COLUMNS
                ));
                q.push_bind(id);
                let row: Option<$crate::rows::IncidentRow> =
                    q.build_query_as().fetch_optional(&self.pool).await?;
                row.ok_or_else(|| $crate::StoreError::NotFound(format!("incident {id}")))?
                    .try_into()
            }

            async fn claim_deliveries(
                &self,
                now: chrono::DateTime<chrono::Utc>,
                lease_until: chrono::DateTime<chrono::Utc>,
                limit: u32,
            ) -> $crate::Result<Vec<$crate::Delivery>> {
                let mut q = sqlx::QueryBuilder::<$db>::new("UPDATE deliveries SET next_attempt_at = ");
                q.push_bind($crate::ms(lease_until))
                    .push(
                        " WHERE seq IN (SELECT d.seq FROM deliveries d WHERE d.status = 'pending' \
                         AND d.next_attempt_at <= ",
                    )
                    .push_bind($crate::ms(now))
                    .push(
                        " AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.incident_id = d.incident_id \
                         AND e.channel = d.channel AND e.status = 'pending' AND e.seq < d.seq) \
                         ORDER BY d.seq LIMIT ",
                    )
                    .push_bind(i64::from(limit))
                    .push(Self::CLAIM_LOCK)
                    .push(") RETURNING seq, event_id, channel, attempts");
                let mut claimed: Vec<$crate::rows::ClaimedRow> =
                    q.build_query_as().fetch_all(&self.pool).await?;
                if claimed.is_empty() {
                    return Ok(Vec::new());
                }
                claimed.sort_by_key(|c| c.seq);
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM events e JOIN incidents i ON i.id = e.incident_id \
                     JOIN sources s ON s.id = e.source_id WHERE e.id IN (",
                    $crate::rows::DELIVERY_EVENT_COLUMNS
                ));
                let mut sep = q.separated(", ");
                for c in &claimed {
                    sep.push_bind(&c.event_id);
                }
                q.push(")");
                let rows: Vec<$crate::rows::DeliveryEventRow> =
                    q.build_query_as().fetch_all(&self.pool).await?;
                let mut by_id = std::collections::HashMap::new();
                for r in rows {
                    let event = $crate::Event::try_from(r.event)?;
                    by_id.insert(event.id.clone(), (event, r.source, r.provider, r.detected_at));
                }
                claimed
                    .into_iter()
                    .map(|c| {
                        let (event, source, provider, detected_at) =
                            by_id.get(&c.event_id).cloned().ok_or_else(|| {
                                $crate::StoreError::NotFound(format!("event {}", c.event_id))
                            })?;
                        Ok($crate::Delivery {
                            seq: c.seq,
                            channel: c.channel,
                            attempts: c.attempts,
                            event,
                            source,
                            provider,
                            detected_at: $crate::from_ms(detected_at),
                        })
                    })
                    .collect()
            }

            async fn finish_delivery(
                &self,
                seq: i64,
                at: chrono::DateTime<chrono::Utc>,
                outcome: $crate::DeliveryOutcome,
            ) -> $crate::Result<()> {
                let mut q = sqlx::QueryBuilder::<$db>::new("UPDATE deliveries SET attempts = attempts + 1, ");
                match &outcome {
                    $crate::DeliveryOutcome::Delivered => {
                        q.push("status = 'delivered', last_error = NULL, delivered_at = ")
                            .push_bind($crate::ms(at));
                    }
                    $crate::DeliveryOutcome::Retry { next_attempt_at, error } => {
                        q.push("last_error = ")
                            .push_bind(error)
                            .push(", next_attempt_at = ")
                            .push_bind($crate::ms(*next_attempt_at));
                    }
                    $crate::DeliveryOutcome::Failed { error } => {
                        q.push("status = 'failed', last_error = ").push_bind(error);
                    }
                    $crate::DeliveryOutcome::Skipped { reason } => {
                        q.push("status = 'skipped', last_error = ").push_bind(reason);
                    }
                }
                q.push(" WHERE seq = ").push_bind(seq).push(" AND status = 'pending'");
                q.build().execute(&self.pool).await?;
                Ok(())
            }

            async fn due_reminders(
                &self,
                now: chrono::DateTime<chrono::Utc>,
                until: chrono::DateTime<chrono::Utc>,
                limit: u32,
            ) -> $crate::Result<Vec<$crate::StoredIncident>> {
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM incidents i JOIN sources s ON s.id = i.source_id \
                     WHERE i.reminded_at IS NULL AND i.status = 'scheduled' AND i.scheduled_for > ",
                    $crate::rows::INCIDENT_COLUMNS
                ));
                q.push_bind($crate::ms(now))
                    .push(" AND i.scheduled_for <= ")
                    .push_bind($crate::ms(until))
                    .push(" ORDER BY i.scheduled_for LIMIT ")
                    .push_bind(i64::from(limit));
                let rows: Vec<$crate::rows::IncidentRow> =
                    q.build_query_as().fetch_all(&self.pool).await?;
                $crate::rows::convert(rows)
            }

            async fn record_reminder(
                &self,
                incident_id: &str,
                at: chrono::DateTime<chrono::Utc>,
                e: $crate::NewEvent,
            ) -> $crate::Result<bool> {
                let mut tx = self.begin_write().await?;
                let mut q = sqlx::QueryBuilder::<$db>::new("UPDATE incidents SET reminded_at = ");
                q.push_bind($crate::ms(at))
                    .push(" WHERE id = ")
                    .push_bind(incident_id)
                    .push(" AND reminded_at IS NULL");
                if q.build().execute(&mut *tx).await?.rows_affected() == 0 {
                    return Ok(false);
                }
                let mut q = sqlx::QueryBuilder::<$db>::new("SELECT body, source_id FROM incidents WHERE id = ");
                q.push_bind(incident_id);
                let (body, source_id): (String, i64) = q.build_query_as().fetch_one(&mut *tx).await?;
                Self::insert_event(&mut tx, incident_id, source_id, &e, &body, at).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn source_groups(&self) -> $crate::Result<Vec<$crate::SourceGroup>> {
                type Row = (String, Option<String>, bool, bool, bool, bool, i64);
                // Grouped in the order of the `sources_groups` index, so the
                // count reads the index alone, sorting nothing; the few
                // sources with something open are counted apart and taken
                // out of their groups.
                let keys = "platform, component_state, baselined, (consecutive_failures > 0), \
                            (last_warning IS NOT NULL), paused";
                let group = "GROUP BY platform, component_state, baselined, consecutive_failures, \
                             last_warning, paused";
                let all: Vec<Row> = sqlx::query_as(&format!(
                    "SELECT {keys}, COUNT(*) FROM sources {group}"
                ))
                .fetch_all(&self.pool)
                .await?;
                let open: Vec<Row> = sqlx::query_as(&format!(
                    "SELECT {keys}, COUNT(*) FROM sources WHERE id IN \
                     (SELECT source_id FROM incidents WHERE status NOT IN {}) {group}",
                    $crate::rows::TERMINAL
                ))
                .fetch_all(&self.pool)
                .await?;
                // Private pages' sources (a handful) are counted apart too,
                // and taken out: the counts are a public view.
                let private: Vec<(Row, bool)> = sqlx::query_as::<_, Row>(&format!(
                    "SELECT {keys}, COUNT(*) FROM sources WHERE id IN {} \
                     AND id NOT IN (SELECT source_id FROM incidents WHERE status NOT IN {}) {group}",
                    $crate::rows::PRIVATE_SOURCES,
                    $crate::rows::TERMINAL
                ))
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .map(|r| (r, false))
                .chain(
                    sqlx::query_as::<_, Row>(&format!(
                        "SELECT {keys}, COUNT(*) FROM sources WHERE id IN {} \
                         AND id IN (SELECT source_id FROM incidents WHERE status NOT IN {}) {group}",
                        $crate::rows::PRIVATE_SOURCES,
                        $crate::rows::TERMINAL
                    ))
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(|r| (r, true)),
                )
                .collect();
                type Key = (String, Option<String>, bool, bool, bool, bool);
                let mut counts: std::collections::BTreeMap<(Key, bool), i64> = Default::default();
                for (p, cs, known, failing, warned, paused, n) in all {
                    *counts.entry(((p, cs, known, failing, warned, paused), false)).or_default() += n;
                }
                for (p, cs, known, failing, warned, paused, n) in open {
                    let key = (p, cs, known, failing, warned, paused);
                    *counts.entry((key.clone(), false)).or_default() -= n;
                    *counts.entry((key, true)).or_default() += n;
                }
                for ((p, cs, known, failing, warned, paused, n), is_open) in private {
                    *counts.entry(((p, cs, known, failing, warned, paused), is_open)).or_default() -= n;
                }
                Ok(counts
                    .into_iter()
                    .filter(|(_, n)| *n > 0)
                    .map(|(((platform, cs, known, failing, warned, paused), open), count)| {
                        $crate::SourceGroup {
                            platform,
                            component_state: cs
                                .as_deref()
                                .and_then(statuswatch_model::ComponentStatus::parse),
                            known,
                            open,
                            failing,
                            warned,
                            paused,
                            count,
                        }
                    })
                    .collect())
            }

            async fn find_sources(
                &self,
                query: &$crate::SourceQuery,
            ) -> $crate::Result<(Vec<$crate::Source>, i64)> {
                fn filter<'a>(q: &mut sqlx::QueryBuilder<'a, $db>, query: &'a $crate::SourceQuery) {
                    q.push(" WHERE 1 = 1");
                    if !query.include_private {
                        q.push(format!(" AND id NOT IN {}", $crate::rows::PRIVATE_SOURCES));
                    }
                    if query.attention {
                        q.push(format!(
                            // EXISTS probes the partial index of open incidents per
                            // source; an IN list here was planned by PostgreSQL as a
                            // scan of every incident per source.
                            " AND (EXISTS (SELECT 1 FROM incidents i WHERE i.source_id = sources.id \
                             AND i.status NOT IN {}) \
                             OR component_state IN ('degraded', 'partial_outage', 'major_outage', 'maintenance') \
                             OR consecutive_failures > 0 OR last_warning IS NOT NULL)",
                            $crate::rows::TERMINAL
                        ));
                    }
                    if let Some(text) = query.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                        let like = format!(
                            "%{}%",
                            text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
                        );
                        q.push(" AND (LOWER(name) LIKE ")
                            .push_bind(like.clone())
                            .push(" ESCAPE '\\' OR LOWER(COALESCE(provider, '')) LIKE ")
                            .push_bind(like.clone())
                            .push(" ESCAPE '\\' OR LOWER(url) LIKE ")
                            .push_bind(like)
                            .push(" ESCAPE '\\')");
                    }
                }
                let mut q = sqlx::QueryBuilder::<$db>::new("SELECT COUNT(*) FROM sources");
                filter(&mut q, query);
                let total: i64 = q.build_query_scalar().fetch_one(&self.pool).await?;
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM sources",
                    $crate::rows::SOURCE_COLUMNS
                ));
                filter(&mut q, query);
                q.push(" ORDER BY LOWER(COALESCE(provider, name)), id LIMIT ")
                    .push_bind(i64::from(query.limit.max(1)))
                    .push(" OFFSET ")
                    .push_bind(i64::from(query.offset));
                let rows: Vec<$crate::rows::SourceRow> =
                    q.build_query_as().fetch_all(&self.pool).await?;
                Ok(($crate::rows::convert(rows)?, total))
            }

            async fn beat(&self, b: &$crate::NodeBeat) -> $crate::Result<()> {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO nodes (id, host, pid, version, started_at, seen_at, polls, failures, lag_ms, interval_ms, in_flight) VALUES (",
                );
                let mut v = q.separated(", ");
                v.push_bind(&b.id)
                    .push_bind(&b.host)
                    .push_bind(b.pid)
                    .push_bind(&b.version)
                    .push_bind($crate::ms(b.started_at))
                    .push_bind($crate::ms(b.seen_at))
                    .push_bind(b.polls)
                    .push_bind(b.failures)
                    .push_bind(b.lag_ms)
                    .push_bind(b.interval_ms)
                    .push_bind(b.in_flight);
                q.push(
                    ") ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, polls = excluded.polls, \
                     failures = excluded.failures, lag_ms = excluded.lag_ms, interval_ms = excluded.interval_ms, \
                     in_flight = excluded.in_flight",
                );
                q.build().execute(&self.pool).await?;
                let mut q = sqlx::QueryBuilder::<$db>::new("DELETE FROM nodes WHERE seen_at < ");
                q.push_bind($crate::ms(b.seen_at) - 86_400_000);
                q.build().execute(&self.pool).await?;
                Ok(())
            }

            async fn nodes(&self) -> $crate::Result<Vec<$crate::NodeBeat>> {
                #[allow(clippy::type_complexity)]
                let rows: Vec<(String, String, i64, String, i64, i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
                    "SELECT id, host, pid, version, started_at, seen_at, polls, failures, lag_ms, interval_ms, in_flight \
                     FROM nodes ORDER BY seen_at DESC, id",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, host, pid, version, started, seen, polls, failures, lag_ms, interval_ms, in_flight)| {
                        $crate::NodeBeat {
                            id,
                            host,
                            pid,
                            version,
                            started_at: $crate::from_ms(started),
                            seen_at: $crate::from_ms(seen),
                            polls,
                            failures,
                            lag_ms,
                            interval_ms,
                            in_flight,
                        }
                    })
                    .collect())
            }

            async fn counts(&self) -> $crate::Result<$crate::Counts> {
                // Two counts, each answered by an index (the open ones by the
                // partial index of open incidents), never a scan of the rows.
                // Private pages' incidents are counted apart (a handful of
                // rows) and taken out: /metrics is public.
                let incidents: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM incidents")
                    .fetch_one(&self.pool)
                    .await?;
                let open_incidents: i64 = sqlx::query_scalar(&format!(
                    "SELECT COUNT(*) FROM incidents WHERE status NOT IN {}",
                    $crate::rows::TERMINAL
                ))
                .fetch_one(&self.pool)
                .await?;
                let (private, private_open): (i64, i64) = sqlx::query_as(&format!(
                    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status NOT IN {} THEN 1 ELSE 0 END), 0) \
                     FROM incidents WHERE source_id IN {}",
                    $crate::rows::TERMINAL,
                    $crate::rows::PRIVATE_SOURCES
                ))
                .fetch_one(&self.pool)
                .await?;
                let (incidents, open_incidents) = (incidents - private, open_incidents - private_open);
                let rows: Vec<(String, i64)> =
                    sqlx::query_as("SELECT status, COUNT(*) FROM deliveries GROUP BY status ORDER BY status")
                        .fetch_all(&self.pool)
                        .await?;
                let deliveries = rows
                    .into_iter()
                    .filter_map(|(s, n)| $crate::DeliveryStatus::parse(&s).map(|s| (s, n)))
                    .collect();
                Ok($crate::Counts { open_incidents, incidents, deliveries })
            }

            async fn prune(
                &self,
                ended_before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<$crate::Pruned> {
                const BATCH: i64 = 500;
                let cutoff = $crate::ms(ended_before);
                // The watermark first: from now on the engine leaves out what
                // ended before it, so nothing pruned below comes back as news.
                sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO retention (id, pruned_before) VALUES (1, ",
                )
                .push_bind(cutoff)
                .push(
                    ") ON CONFLICT (id) DO UPDATE SET pruned_before = \
                     CASE WHEN retention.pruned_before > excluded.pruned_before \
                     THEN retention.pruned_before ELSE excluded.pruned_before END",
                )
                .build()
                .execute(&self.pool)
                .await?;
                let mut pruned = $crate::Pruned::default();
                loop {
                    let mut tx = self.begin_write().await?;
                    // Read through the partial index `incidents_over`; an
                    // incident whose alert is still pending stays until it is out.
                    let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                        "SELECT id FROM incidents WHERE status IN {} \
                         AND COALESCE(resolved_at, updated_at) < ",
                        $crate::rows::TERMINAL
                    ));
                    q.push_bind(cutoff)
                        .push(
                            " AND NOT EXISTS (SELECT 1 FROM deliveries d \
                             WHERE d.incident_id = incidents.id AND d.status = 'pending') LIMIT ",
                        )
                        .push_bind(BATCH);
                    let ids: Vec<String> = q.build_query_scalar().fetch_all(&mut *tx).await?;
                    if ids.is_empty() {
                        break;
                    }
                    // Deliveries by their events (the (event_id, channel)
                    // index), events by incident (events_incident), then the
                    // incidents: every step an index lookup, never a scan.
                    for (sql, counted) in [
                        (
                            "DELETE FROM deliveries WHERE event_id IN \
                             (SELECT id FROM events WHERE incident_id IN (",
                            None,
                        ),
                        ("DELETE FROM events WHERE incident_id IN (", Some(false)),
                        ("DELETE FROM incidents WHERE id IN (", Some(true)),
                    ] {
                        let mut q = sqlx::QueryBuilder::<$db>::new(sql);
                        let mut list = q.separated(", ");
                        for id in &ids {
                            list.push_bind(id);
                        }
                        q.push(if counted.is_none() { "))" } else { ")" });
                        let n = q.build().execute(&mut *tx).await?.rows_affected();
                        match counted {
                            Some(true) => pruned.incidents += n,
                            Some(false) => pruned.events += n,
                            None => {}
                        }
                    }
                    tx.commit().await?;
                    if (ids.len() as i64) < BATCH {
                        break;
                    }
                }
                Ok(pruned)
            }

            async fn pruned_before(
                &self,
            ) -> $crate::Result<Option<chrono::DateTime<chrono::Utc>>> {
                let ms: Option<i64> =
                    sqlx::query_scalar("SELECT pruned_before FROM retention WHERE id = 1")
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(ms.and_then(chrono::DateTime::from_timestamp_millis))
            }

            async fn secret(&self, name: &str, fresh: &str) -> $crate::Result<String> {
                let mut q = sqlx::QueryBuilder::<$db>::new("INSERT INTO secrets (name, value) VALUES (");
                q.push_bind(name)
                    .push(", ")
                    .push_bind(fresh)
                    .push(") ON CONFLICT (name) DO NOTHING");
                q.build().execute(&self.pool).await?;
                let mut q = sqlx::QueryBuilder::<$db>::new("SELECT value FROM secrets WHERE name = ");
                q.push_bind(name);
                Ok(q.build_query_scalar().fetch_one(&self.pool).await?)
            }

            async fn revoke_session(
                &self,
                nonce: &str,
                expires_at: chrono::DateTime<chrono::Utc>,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<()> {
                let mut tx = self.begin_write().await?;
                let mut q = sqlx::QueryBuilder::<$db>::new("DELETE FROM revoked_sessions WHERE expires_at < ");
                q.push_bind($crate::ms(now));
                q.build().execute(&mut *tx).await?;
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "INSERT INTO revoked_sessions (nonce, expires_at) VALUES (",
                );
                q.push_bind(nonce)
                    .push(", ")
                    .push_bind($crate::ms(expires_at))
                    .push(") ON CONFLICT (nonce) DO NOTHING");
                q.build().execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn session_revoked(&self, nonce: &str) -> $crate::Result<bool> {
                let mut q = sqlx::QueryBuilder::<$db>::new("SELECT COUNT(*) FROM revoked_sessions WHERE nonce = ");
                q.push_bind(nonce);
                let n: i64 = q.build_query_scalar().fetch_one(&self.pool).await?;
                Ok(n > 0)
            }

            async fn last_delivered_at(
                &self,
                incident_id: &str,
                channel: &str,
            ) -> $crate::Result<Option<chrono::DateTime<chrono::Utc>>> {
                let mut q = sqlx::QueryBuilder::<$db>::new(
                    "SELECT MAX(delivered_at) FROM deliveries WHERE status = 'delivered' AND incident_id = ",
                );
                q.push_bind(incident_id).push(" AND channel = ").push_bind(channel);
                let at: Option<i64> = q.build_query_scalar().fetch_one(&self.pool).await?;
                Ok(at.map($crate::from_ms))
            }

            async fn deliveries(
                &self,
                status: Option<$crate::DeliveryStatus>,
                limit: u32,
            ) -> $crate::Result<Vec<$crate::DeliveryInfo>> {
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM deliveries d JOIN events e ON e.id = d.event_id WHERE 1 = 1",
                    $crate::rows::DELIVERY_INFO_COLUMNS
                ));
                if let Some(s) = status {
                    q.push(" AND d.status = ").push_bind(s.as_str());
                }
                q.push(" ORDER BY d.seq DESC LIMIT ").push_bind(i64::from(limit));
                let rows: Vec<$crate::rows::DeliveryInfoRow> =
                    q.build_query_as().fetch_all(&self.pool).await?;
                $crate::rows::convert(rows)
            }

            async fn events_after(
                &self,
                after: i64,
                limit: u32,
            ) -> $crate::Result<Vec<$crate::Event>> {
                let mut q = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM events WHERE source_id NOT IN {} AND seq > ",
                    $crate::rows::EVENT_COLUMNS,
                    $crate::rows::PRIVATE_SOURCES
                ));
                q.push_bind(after)
                    .push(" ORDER BY seq LIMIT ")
                    .push_bind(i64::from(limit));
                let rows: Vec<$crate::rows::EventRow> =
                    q.build_query_as().fetch_all(&self.pool).await?;
                $crate::rows::convert(rows)
            }
        }
    };
}

pub(crate) use impl_store;
