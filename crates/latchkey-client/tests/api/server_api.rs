//! The typed server API (API.md "Server API").

use latchkey_client::{
    Client, Error, EventQuery, NewUser, PasskeyId, SessionId, UserId, UserPatch, UserQuery,
    Verification,
};
use serde_json::json;

use crate::helpers::{TestApp, client_for};

#[tokio::test]
async fn verify_token_checks_the_live_session() {
    let t = TestApp::spawn().await;
    let client = client_for(&t);
    let signed_in = t.sign_up("jdoe@example.com").await;
    let Verification::Valid(v) = client.verify_token(signed_in.access_token()).await.unwrap()
    else {
        panic!("a fresh access token is valid")
    };
    assert_eq!(v.user.id.as_str(), signed_in.user_id());
    assert_eq!(v.user.email.as_deref(), Some("jdoe@example.com"));
    assert_eq!(v.session_id.as_str(), signed_in.session_id());
    assert!(v.amr.iter().any(|m| m == "passkey"));
    assert_eq!(v.acr.as_deref(), Some("phr"), "a passkey sign-in");

    // Revoked: the server says invalid at once; offline, the token stays good until it expires.
    client
        .revoke_user_session(&v.user.id, &v.session_id)
        .await
        .unwrap();
    let after = client.verify_token(signed_in.access_token()).await.unwrap();
    assert!(
        matches!(&after, Verification::Invalid { reason } if !reason.is_empty()),
        "{after:?}"
    );
    client
        .verify_access_token(signed_in.access_token())
        .await
        .unwrap();

    let junk = client.verify_token("not a token").await.unwrap();
    assert!(matches!(junk, Verification::Invalid { .. }));
}

#[tokio::test]
async fn an_auth_token_redeems_once() {
    let t = TestApp::spawn().await;
    let client = client_for(&t);
    let signed_in = t.sign_up("jdoe@example.com").await;
    assert!(signed_in.auth_token().starts_with("lk_at_"));
    let first = client
        .redeem_auth_token(signed_in.auth_token())
        .await
        .unwrap()
        .valid()
        .expect("the first redemption is valid");
    assert_eq!(first.user.id.as_str(), signed_in.user_id());
    assert_eq!(first.session_id.as_str(), signed_in.session_id());
    let second = client
        .redeem_auth_token(signed_in.auth_token())
        .await
        .unwrap();
    assert!(
        matches!(&second, Verification::Invalid { .. }),
        "{second:?}"
    );
}

#[tokio::test]
async fn users_can_be_created_read_listed_updated_and_deleted() {
    let t = TestApp::spawn().await;
    let client = client_for(&t);
    let c = &client;
    let mut new = NewUser::new("Ada@Example.com");
    new.given_name = Some("Ada".into());
    new.family_name = Some("Lovelace".into());
    new.metadata.insert("plan".into(), json!("pro"));
    let ada = c.create_user(&new).await.unwrap();
    assert_eq!(ada.email.as_deref(), Some("Ada@Example.com"));
    assert!(!ada.email_verified);
    assert_eq!(ada.given_name.as_deref(), Some("Ada"));
    assert_eq!(ada.metadata["plan"], "pro");
    assert!(!ada.disabled);
    assert!(ada.last_sign_in_at.is_none());

    // The same email again (case-insensitively): 409.
    let err = c
        .create_user(&NewUser::new("ada@example.com"))
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err:?}");
    assert_eq!(err.code(), Some("conflict"));
    let Error::Api(problem) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(problem.status, 409);
    assert!(!problem.detail.is_empty());

    // A bad email: 400 invalid_request.
    let err = c
        .create_user(&NewUser::new("not-an-email"))
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.code()),
        (Some(400), Some("invalid_request"))
    );

    assert_eq!(c.get_user(&ada.id).await.unwrap(), ada);

    let updated = c
        .update_user(
            &ada.id,
            &UserPatch {
                display_name: Some(Some("Countess".into())),
                given_name: Some(None),
                email_verified: Some(true),
                disabled: Some(true),
                ..UserPatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.display_name.as_deref(), Some("Countess"));
    assert_eq!(updated.given_name, None, "Some(None) clears");
    assert_eq!(
        updated.family_name.as_deref(),
        Some("Lovelace"),
        "untouched"
    );
    assert!(updated.email_verified);
    assert!(updated.disabled);

    // Lists: by email, by search text, and page by page.
    for email in ["b@example.com", "c@example.com", "d@example.com"] {
        c.create_user(&NewUser::new(email)).await.unwrap();
    }
    let found = c.find_user_by_email("ADA@example.com").await.unwrap();
    assert_eq!(found.map(|u| u.id), Some(ada.id.clone()));
    assert_eq!(c.find_user_by_email("zed@example.com").await.unwrap(), None);
    let search = c.search_users("ada@").await.unwrap();
    assert_eq!(
        search.items.iter().map(|u| &u.id).collect::<Vec<_>>(),
        [&ada.id]
    );

    let mut seen = Vec::new();
    let mut query = UserQuery {
        limit: Some(3),
        ..UserQuery::default()
    };
    let mut pages = 0;
    loop {
        let page = c.list_users(&query).await.unwrap();
        pages += 1;
        assert!(page.items.len() <= 3);
        seen.extend(page.items.into_iter().map(|u| u.id));
        match page.next_cursor {
            Some(cursor) => query.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(pages, 2);
    assert_eq!(seen.len(), 4);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 4, "no user twice");

    c.delete_user(&ada.id).await.unwrap();
    let err = c.get_user(&ada.id).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("not_found"));
    assert!(c.delete_user(&ada.id).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn a_users_passkeys_and_sessions() {
    let t = TestApp::spawn().await;
    let client = client_for(&t);
    let signed_in = t.sign_up("jdoe@example.com").await;
    let user = UserId::new(signed_in.user_id());

    let passkeys = client.list_user_passkeys(&user).await.unwrap();
    assert_eq!(passkeys.len(), 1);
    assert!(passkeys[0].user_verified);
    let sessions = client.list_user_sessions(&user).await.unwrap();
    assert_eq!(
        sessions.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        [signed_in.session_id()]
    );
    assert_eq!(sessions[0].user_id, user);

    // Unknown ids are 404s.
    assert!(
        client
            .revoke_user_session(&user, &SessionId::new("nope"))
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(
        client
            .delete_user_passkey(&user, &PasskeyId::new("nope"))
            .await
            .unwrap_err()
            .is_not_found()
    );

    client.revoke_user_sessions(&user).await.unwrap();
    assert!(client.list_user_sessions(&user).await.unwrap().is_empty());
    client
        .delete_user_passkey(&user, &passkeys[0].id)
        .await
        .unwrap();
    assert!(client.list_user_passkeys(&user).await.unwrap().is_empty());
}

#[tokio::test]
async fn events_are_listed_by_type_and_user_page_by_page() {
    let t = TestApp::spawn().await;
    let client = client_for(&t);
    let a = t.sign_up("a@example.com").await;
    t.sign_up("b@example.com").await;
    let created = client
        .create_user(&NewUser::new("c@example.com"))
        .await
        .unwrap();

    let signed_up = client
        .list_events(&EventQuery {
            kind: Some("user.signed_up".into()),
            ..EventQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(signed_up.items.len(), 2);
    assert!(signed_up.items.iter().all(|e| e.kind == "user.signed_up"));
    assert_eq!(signed_up.next_cursor, None);
    // Newest first.
    assert!(signed_up.items[0].created_at >= signed_up.items[1].created_at);

    let theirs = client
        .list_events(&EventQuery {
            user_id: Some(UserId::new(a.user_id())),
            ..EventQuery::default()
        })
        .await
        .unwrap();
    assert!(!theirs.items.is_empty());
    assert!(
        theirs
            .items
            .iter()
            .all(|e| e.user_id.as_ref().map(UserId::as_str) == Some(a.user_id()))
    );

    let by_api = client
        .list_events(&EventQuery {
            kind: Some("user.created".into()),
            ..EventQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(by_api.items.len(), 1);
    assert_eq!(by_api.items[0].user_id.as_ref(), Some(&created.id));

    // Paging through everything, one at a time, gives each event once.
    let all = client
        .list_events(&EventQuery {
            limit: Some(200),
            ..EventQuery::default()
        })
        .await
        .unwrap();
    let mut query = EventQuery {
        limit: Some(1),
        ..EventQuery::default()
    };
    let mut paged = Vec::new();
    loop {
        let page = client.list_events(&query).await.unwrap();
        assert!(page.items.len() <= 1);
        paged.extend(page.items);
        match page.next_cursor {
            Some(cursor) => query.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(paged, all.items);

    let err = client
        .list_events(&EventQuery {
            cursor: Some("not-a-cursor".into()),
            ..EventQuery::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.code()),
        (Some(400), Some("invalid_request"))
    );
}

#[tokio::test]
async fn bad_keys_and_odd_ids_get_problems_not_other_paths() {
    let t = TestApp::spawn().await;
    let client = client_for(&t);
    let wrong = Client::builder(&t.base, "acme", "lk_sk_wrong")
        .build()
        .unwrap();
    let err = wrong.list_users(&UserQuery::default()).await.unwrap_err();
    assert_eq!(
        (err.status(), err.code()),
        (Some(401), Some("unauthorized"))
    );

    // Another app's key is refused on acme's paths.
    let other = t.new_app("other", json!({})).await;
    let crossed = client_for(&t.with_api_key(&other.api_key));
    assert_eq!(
        crossed
            .list_users(&UserQuery::default())
            .await
            .unwrap_err()
            .status(),
        Some(401)
    );

    // Ids are path segments, encoded: they cannot climb to other endpoints.
    for id in ["../../../admin/apps", "a/b", "?limit=1", "%2e%2e"] {
        let err = client.get_user(&UserId::new(id)).await.unwrap_err();
        assert!(err.is_not_found(), "{id}: {err:?}");
    }

    // Configuration mistakes are caught before any request.
    for base in ["not a url", "ftp://example.com", "mailto:x@example.com"] {
        assert!(matches!(
            Client::new(base, "acme", "k").unwrap_err(),
            Error::Config(_)
        ));
    }
    assert!(matches!(
        Client::new("http://example.com", "a/b", "k").unwrap_err(),
        Error::Config(_)
    ));
    // The API key never shows in Debug output.
    assert!(!format!("{client:?}").contains(&t.api_key));
}
