// SPDX-License-Identifier: GPL-2.0-only
/*
 * 001-mdev-create-remove, fixed: mediated device create and remove. Each
 * holds a parent reference for its whole run, takes parent_list_lock to
 * link or unlink the mdev, and only then drops the reference - the last
 * drop completes parent->unreg_completion (mdev_put_parent, mdev_core.c).
 */
/* expect: none */

#include "scenario.h"

static void mdev_device_release(struct device *dev)
{
	kfree(to_mdev_device(dev));
}

int mdev_device_create(struct mdev_parent *parent, const guid_t *uuid)
{
	struct mdev_device *mdev;
	int ret;

	/* Fails once unregistration has dropped the initial reference. */
	if (!mdev_get_parent(parent))
		return -ENODEV;

	mdev = kzalloc(sizeof(*mdev), GFP_KERNEL);
	if (!mdev) {
		ret = -ENOMEM;
		goto out_put;
	}
	guid_copy(&mdev->uuid, uuid);
	mdev->parent = parent;
	INIT_LIST_HEAD(&mdev->next);
	device_initialize(&mdev->dev);
	mdev->dev.parent = parent->dev;
	mdev->dev.release = mdev_device_release;

	ret = parent->ops->create(mdev);
	if (ret)
		goto out_free;
	ret = device_add(&mdev->dev);
	if (ret)
		goto out_remove;

	mutex_lock(&parent_list_lock);
	list_add(&mdev->next, &parent->mdev_list);
	mutex_unlock(&parent_list_lock);

	mdev_put_parent(parent);
	return 0;

out_remove:
	parent->ops->remove(mdev);
out_free:
	put_device(&mdev->dev);
out_put:
	mdev_put_parent(parent);
	return ret;
}

int mdev_device_remove(struct mdev_device *mdev)
{
	struct mdev_parent *parent = mdev->parent;
	int ret;

	if (!mdev_get_parent(parent))
		return -ENODEV;

	mutex_lock(&parent_list_lock);
	if (list_empty(&mdev->next)) {
		/* unregistration or another remove got here first */
		mutex_unlock(&parent_list_lock);
		ret = -ENODEV;
		goto out_put;
	}
	list_del_init(&mdev->next);
	mutex_unlock(&parent_list_lock);

	ret = parent->ops->remove(mdev);
	if (ret)
		dev_err(&mdev->dev, "remove failed: %d\n", ret);
	device_unregister(&mdev->dev);
	ret = 0;
out_put:
	mdev_put_parent(parent);
	return ret;
}
